; Highlighting for the dockerfile-ls grammar.

(comment) @comment
(directive) @keyword.directive

(keyword) @keyword
(unknown_instruction (keyword) @error)

(flag) @attribute
"--" @punctuation.delimiter

(image_spec) @type
(stage_name) @label
(healthcheck_kind) @keyword

(json_array) @string

(heredoc_marker) @label
(heredoc_content) @string
(heredoc_end) @label

(line_continuation) @punctuation.special
(trailing_text) @error
