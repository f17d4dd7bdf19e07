-- Headless Neovim test of editors/neovim against the real dockerfile-ls binary.
--
-- Run through editors/neovim/test/run (which puts the binary under test first in PATH as
-- `dockerfile-ls` and isolates Neovim's config/state dirs):
--
--   nvim --headless -u NONE -i NONE -l editors/neovim/test/lsp_test.lua EDITORS_NEOVIM_DIR WORKDIR
--
-- The config is loaded exactly as a user loads it: the folder on the runtimepath and
-- vim.lsp.enable('dockerfile_ls'); nothing in here names the binary. Each check prints
-- `ok` or `FAIL` with its reason, and the script exits non-zero if any check failed.

local config_dir = assert(arg[1], 'usage: lsp_test.lua EDITORS_NEOVIM_DIR WORKDIR')
local workdir = assert(arg[2], 'usage: lsp_test.lua EDITORS_NEOVIM_DIR WORKDIR')
local timeout_ms = tonumber(vim.env.DOCKERFILE_LS_TEST_TIMEOUT_MS) or 10000

local results = {}
local function check(name, ok, detail)
  table.insert(results, { name = name, ok = ok })
  io.stdout:write(('%-4s %s: %s\n'):format(ok and 'ok' or 'FAIL', name, detail or ''))
  io.stdout:flush()
  return ok
end

local function finish()
  local passed, failed = 0, 0
  local failed_names = {}
  for _, r in ipairs(results) do
    if r.ok then
      passed = passed + 1
    else
      failed = failed + 1
      table.insert(failed_names, r.name)
    end
  end
  if failed > 0 then
    io.stdout:write('failed checks: ' .. table.concat(failed_names, ', ') .. '\n')
    local log = vim.lsp.get_log_path()
    if vim.uv.fs_stat(log) then
      io.stdout:write('--- tail of ' .. log .. ' (client log, with the server stderr) ---\n')
      local lines = vim.fn.readfile(log)
      for i = math.max(1, #lines - 40), #lines do
        io.stdout:write(lines[i]:sub(1, 400) .. '\n')
      end
    end
  end
  io.stdout:write(('neovim: %d passed, %d failed\n'):format(passed, failed))
  io.stdout:flush()
  for _, client in ipairs(vim.lsp.get_clients()) do
    client:stop(true)
  end
  os.exit(failed == 0 and 0 or 1)
end

-- Text of any hover/markup shape (MarkupContent, MarkedString, MarkedString[]).
local function markup_text(contents)
  if type(contents) == 'string' then
    return contents
  elseif type(contents) == 'table' then
    if contents.value then
      return contents.value
    end
    local parts = {}
    for _, c in ipairs(contents) do
      table.insert(parts, markup_text(c))
    end
    return table.concat(parts, '\n')
  end
  return ''
end

-- The workspace: a project folder with a Dockerfile that has one mistake on line 2.
local project = workdir .. '/project'
vim.fn.mkdir(project .. '/.git', 'p')
local dockerfile = project .. '/Dockerfile'
local lines = {
  'FROM alpine:3.20', -- 0
  'RUNN echo hello', -- 1: unknown instruction, quick fix RUNN -> RUN
  'RUN echo world', -- 2: hover on RUN
  '', -- 3: completion on an empty line
  'CMD ["sh"]', -- 4
  'FROM alpine:3.20 AS base', -- 5: a stage in the outline, renamed
  'FROM base', -- 6: go to definition of `base`
}
vim.fn.writefile(lines, dockerfile)

-- What a user's init.lua says (README.md): two lines.
vim.opt.runtimepath:append(config_dir)
vim.lsp.enable('dockerfile_ls')
-- Neovim turns this on by default; `-u NONE` skips it, so do it as startup would.
vim.cmd('filetype plugin on')
vim.lsp.log.set_level(vim.env.DOCKERFILE_LS_TEST_LOG_LEVEL or 'warn')

io.stdout:write('dockerfile-ls on PATH: ' .. vim.fn.exepath('dockerfile-ls') .. '\n')
local cfg = vim.lsp.config.dockerfile_ls
if not check('config', cfg ~= nil and cfg.cmd ~= nil, 'lsp/dockerfile_ls.lua found on the runtimepath') then
  finish()
end

vim.cmd.edit(vim.fn.fnameescape(dockerfile))
local buf = vim.api.nvim_get_current_buf()
check('filetype', vim.bo[buf].filetype == 'dockerfile', 'filetype is ' .. vim.bo[buf].filetype)

-- 1. The client starts, initializes and attaches to the buffer.
local client
vim.wait(timeout_ms, function()
  client = vim.lsp.get_clients({ bufnr = buf, name = 'dockerfile_ls' })[1]
  return client ~= nil and client.initialized == true
end, 50)
if not check('attach', client ~= nil and client.initialized == true,
  client and ('client %d, root %s, server %s %s'):format(
    client.id,
    tostring(client.root_dir),
    client.server_info and client.server_info.name or '?',
    client.server_info and client.server_info.version or '?')
  or 'no dockerfile_ls client attached within ' .. timeout_ms .. ' ms (is the server running?)')
then
  finish()
end
check('root', client.root_dir == vim.fs.normalize(vim.uv.fs_realpath(project)),
  'root_dir ' .. tostring(client.root_dir))

local win = vim.api.nvim_get_current_win()
local function position_params(row, col)
  vim.api.nvim_win_set_cursor(win, { row + 1, col })
  return vim.lsp.util.make_position_params(win, client.offset_encoding)
end

-- 2. Diagnostics: the unknown instruction on line 2 is reported.
local diag
vim.wait(timeout_ms, function()
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.lnum == 1 then
      diag = d
      return true
    end
  end
  return false
end, 50)
check('diagnostics', diag ~= nil and diag.col == 0,
  diag and ('line 2 col %d: %s'):format(diag.col + 1, diag.message)
  or ('no diagnostic on line 2 (`RUNN echo hello`) within %d ms; got %d diagnostics in all'):format(
    timeout_ms, #vim.diagnostic.get(buf)))

-- Settings reach the server: turning diagnostics.enable off at run time, the way Neovim
-- users do (change client.settings, send workspace/didChangeConfiguration), clears the
-- diagnostic; turning it on brings it back.
do
  local function line2_diagnostic()
    return #vim.diagnostic.get(buf, { lnum = 1 }) > 0
  end
  local function set_enable(value)
    client.settings['dockerfile-ls'].diagnostics.enable = value
    client:notify('workspace/didChangeConfiguration', { settings = client.settings })
  end
  local had = line2_diagnostic()
  set_enable(false)
  local gone = had and vim.wait(timeout_ms, function() return not line2_diagnostic() end, 50)
  set_enable(true)
  local back = gone and vim.wait(timeout_ms, line2_diagnostic, 50)
  check('settings', had and gone and back,
    not had and 'no diagnostic to begin with'
    or not gone and 'diagnostics.enable = false did not clear the diagnostic on line 2'
    or not back and 'diagnostics.enable = true did not bring the diagnostic back'
    or 'diagnostics.enable = false cleared the diagnostic, true brought it back')
end

-- 3. Hover on the RUN keyword of line 3: the raw answer, then what the user sees.
do
  local params = position_params(2, 1)
  local resp, err = client:request_sync('textDocument/hover', params, timeout_ms, buf)
  local text = resp and resp.result and markup_text(resp.result.contents) or ''
  local detail = err or (resp and resp.err and vim.inspect(resp.err)) or
    (text == '' and 'empty hover' or text:gsub('%s+', ' '):sub(1, 100))
  check('hover', text:find('RUN', 1, true) ~= nil, detail)

  -- vim.lsp.buf.hover() opens a floating window with the text.
  vim.lsp.buf.hover()
  local float_text
  vim.wait(timeout_ms, function()
    for _, w in ipairs(vim.api.nvim_list_wins()) do
      if vim.api.nvim_win_get_config(w).relative ~= '' then
        float_text = table.concat(vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(w), 0, -1, false), '\n')
        pcall(vim.api.nvim_win_close, w, true)
        return true
      end
    end
    return false
  end, 50)
  check('hover window', float_text ~= nil and float_text:find('RUN', 1, true) ~= nil,
    float_text and float_text:gsub('%s+', ' '):sub(1, 100) or 'no hover window opened')
end

-- 4. Completion on the empty line 4: instruction keywords.
do
  local params = position_params(3, 0)
  local resp, err = client:request_sync('textDocument/completion', params, timeout_ms, buf)
  local result = resp and resp.result
  local items = result and (result.items or result) or {}
  local labels = {}
  for _, item in ipairs(items) do
    labels[item.label] = true
  end
  local want = { 'RUN', 'COPY', 'WORKDIR' }
  local missing = vim.tbl_filter(function(l) return not labels[l] end, want)
  local shown = vim.tbl_map(function(i) return i.label end, vim.list_slice(items, 1, 8))
  check('completion', #missing == 0,
    err or (resp and resp.err and vim.inspect(resp.err))
    or (#missing == 0 and ('%d items: %s ...'):format(#items, table.concat(shown, ' '))
      or ('%d items, missing %s'):format(#items, table.concat(missing, ', '))))
end

-- 5. Code action: the quick fix turns RUNN into RUN, applied to the buffer by Neovim.
do
  local offered = {}
  -- Several matching actions would open vim.ui.select, which would wait for a key forever
  -- in a headless editor: choose the first one, as a user would.
  vim.ui.select = function(items, _, on_choice)
    on_choice(items[1], 1)
  end
  vim.api.nvim_win_set_cursor(win, { 2, 1 })
  vim.lsp.buf.code_action({
    apply = true,
    filter = function(action)
      table.insert(offered, action.title)
      local kind = action.kind or 'quickfix'
      return kind:find('^quickfix') ~= nil and action.title:find('RUN', 1, true) ~= nil
    end,
  })
  local fixed = vim.wait(timeout_ms, function()
    return vim.api.nvim_buf_get_lines(buf, 1, 2, false)[1] == 'RUN echo hello'
  end, 50)
  check('code action', fixed,
    ('line 2 is now %q; actions offered: %s'):format(
      vim.api.nvim_buf_get_lines(buf, 1, 2, false)[1],
      #offered > 0 and table.concat(offered, ' | ') or 'none'))

  -- The edit reached the server (didChange) and it published again without the problem.
  if fixed then
    local cleared = vim.wait(timeout_ms, function()
      for _, d in ipairs(vim.diagnostic.get(buf)) do
        if d.lnum == 1 then
          return false
        end
      end
      return true
    end, 50)
    check('diagnostics after fix', cleared, cleared and 'line 2 has no diagnostic'
      or 'line 2 still has a diagnostic: ' .. (vim.diagnostic.get(buf, { lnum = 1 })[1] or {}).message)
  end
end

-- 6. Navigation: the outline has the stage, go to definition jumps to it, rename renames it.
do
  local params = { textDocument = vim.lsp.util.make_text_document_params(buf) }
  local resp, err = client:request_sync('textDocument/documentSymbol', params, timeout_ms, buf)
  local names = {}
  for _, s in ipairs(resp and resp.result or {}) do
    table.insert(names, s.name)
  end
  check('outline', vim.tbl_contains(names, 'base'),
    err or (#names > 0 and 'symbols: ' .. table.concat(names, ', ') or 'no document symbols'))

  -- The user's way: the cursor on `base` in `FROM base`, then vim.lsp.buf.definition().
  vim.api.nvim_win_set_cursor(win, { 7, 6 })
  vim.lsp.buf.definition()
  local jumped = vim.wait(timeout_ms, function()
    local c = vim.api.nvim_win_get_cursor(win)
    return c[1] == 6 and c[2] == 20
  end, 50)
  local c = vim.api.nvim_win_get_cursor(win)
  check('definition', jumped, ('cursor at line %d col %d (want line 6 col 21, `AS base`)'):format(c[1], c[2] + 1))

  vim.api.nvim_win_set_cursor(win, { 6, 21 })
  vim.lsp.buf.rename('builder')
  local renamed = vim.wait(timeout_ms, function()
    local l = vim.api.nvim_buf_get_lines(buf, 5, 7, false)
    return l[1] == 'FROM alpine:3.20 AS builder' and l[2] == 'FROM builder'
  end, 50)
  check('rename', renamed, 'lines 6-7: ' .. table.concat(vim.api.nvim_buf_get_lines(buf, 5, 7, false), ' | '))
end

-- 7. Formatting: vim.lsp.buf.format() on a messy buffer, as a user would run it (with
-- Neovim's own indent options), gives the formatter's text.
do
  local messy = {
    'from  alpine:3   as build',
    '',
    '',
    '',
    'run apk add --no-cache curl \\',
    '\t\tgit &&\\',
    '\t\techo   done',
    'env A b',
  }
  local want = {
    'FROM alpine:3 AS build',
    '',
    'RUN apk add --no-cache \\',
    '        curl \\',
    '        git \\',
    '    && echo done',
    'ENV A=b',
  }
  vim.api.nvim_buf_set_lines(buf, 0, -1, false, messy)
  vim.bo[buf].expandtab = true
  vim.bo[buf].shiftwidth = 4
  local ok, err = pcall(vim.lsp.buf.format, { bufnr = buf, timeout_ms = timeout_ms, name = 'dockerfile_ls' })
  local got = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
  local same = ok and vim.deep_equal(got, want)
  check('format', same, same and 'vim.lsp.buf.format() gave the formatted text'
    or (ok and ('buffer is now:\n' .. table.concat(got, '\n')) or ('format failed: ' .. tostring(err))))
end

-- 8. Clean shutdown: shutdown request answered, then the process exits on `exit`.
do
  local id = client.id
  client:stop()
  local stopped = vim.wait(timeout_ms, function()
    return client:is_stopped()
  end, 50)
  check('shutdown', stopped, stopped and 'server exited after shutdown/exit'
    or 'client ' .. id .. ' still running ' .. timeout_ms .. ' ms after shutdown')
end

finish()
