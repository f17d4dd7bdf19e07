# syntax=docker/dockerfile:1
ARG GO_VERSION=1.23

FROM --platform=$BUILDPLATFORM golang:${GO_VERSION}-alpine AS build
WORKDIR /src
RUN --mount=type=cache,target=/root/.cache/go-build \
    --mount=type=bind,target=. \
    go build -o /out/app ./cmd/app

FROM alpine:3.20
COPY --from=build /out/app /usr/local/bin/app
COPY <<EOF /etc/app.conf
listen = ":8080"
EOF
ENTRYPOINT ["/usr/local/bin/app"]
