--- dockerfile-ls: a language server for Dockerfiles.
---
--- Neovim 0.11+ finds this file on the runtimepath as `lsp/dockerfile_ls.lua`:
---
--- ```lua
--- vim.opt.runtimepath:append('/path/to/dockerfile-ls/editors/neovim')
--- vim.lsp.enable('dockerfile_ls')
--- ```
---
--- Override any field with `vim.lsp.config('dockerfile_ls', { ... })`; tables are merged.
--- Settings live under the `dockerfile-ls` section; every setting is documented in
--- `editors/README.md`. They reach the server three ways, as in every editor: as
--- `initializationOptions` (filled from `settings` below), as the answer to
--- `workspace/configuration`, and in `workspace/didChangeConfiguration`.

---@type vim.lsp.Config
return {
  cmd = { 'dockerfile-ls', '--stdio' },
  filetypes = { 'dockerfile' },
  root_markers = {
    '.git',
    'Dockerfile',
    'Containerfile',
    'docker-bake.hcl',
    'compose.yaml',
    'compose.yml',
    'docker-compose.yaml',
    'docker-compose.yml',
  },
  settings = {
    ['dockerfile-ls'] = {
      diagnostics = { enable = true },
    },
  },
  -- The server reads the same object as initializationOptions, so settings apply from the
  -- first message on, before it asks for workspace/configuration. An explicit `init_options`
  -- wins.
  before_init = function(params, config)
    local section = (config.settings or {})['dockerfile-ls']
    if params.initializationOptions == nil and section ~= nil then
      params.initializationOptions = section
    end
  end,
}
