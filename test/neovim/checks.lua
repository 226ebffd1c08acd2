-- Runs inside a headless Neovim 0.10 started by test/neovim/run.mjs with the
-- README's config as init.lua and the Line note as its file. Each check waits
-- for what it needs with a bounded vim.wait and records a result; the results
-- are written as JSON to $VAULTLINK_NVIM_RESULTS after every check, so a hang
-- still leaves the earlier ones. Never edits the note before the diagnostics
-- check: they must arrive without an edit.
local results_file = assert(os.getenv('VAULTLINK_NVIM_RESULTS'), 'VAULTLINK_NVIM_RESULTS is not set')
local vault = assert(os.getenv('VAULTLINK_NVIM_VAULT'), 'VAULTLINK_NVIM_VAULT is not set')
local started = vim.uv.hrtime()
local results = {}
local timings = {}

local function elapsed_ms(since)
  return math.floor((vim.uv.hrtime() - since) / 1e6)
end

local function save()
  local file = assert(io.open(results_file, 'w'))
  file:write(vim.json.encode({ results = results, timings = timings, done = false }))
  file:close()
end

--- Runs one check; a failure (error) is recorded and the next check runs.
local function check(name, fn)
  local t0 = vim.uv.hrtime()
  local ok, err = xpcall(fn, debug.traceback)
  table.insert(results, { name = name, ok = ok, error = (not ok) and tostring(err) or nil, ms = elapsed_ms(t0) })
  save()
end

--- vim.wait with a message on time-out; `describe` adds what was seen instead.
local function wait_for(ms, what, condition, describe)
  if not vim.wait(ms, condition, 50) then
    error(('timed out after %d ms waiting for %s%s'):format(ms, what, describe and (': ' .. describe()) or ''), 2)
  end
end

local function expect(value, message)
  if not value then error(message, 2) end
  return value
end

local note = vim.api.nvim_get_current_buf()
local note_name = vim.api.nvim_buf_get_name(note)
local note_uri = vim.uri_from_bufnr(note)
local tick_at_start = vim.b[note].changedtick

local function lines()
  return vim.api.nvim_buf_get_lines(note, 0, -1, false)
end

--- 1-based number of the first line equal to `text` (or containing it when `partial`).
local function line_of(text, partial)
  for i, line in ipairs(lines()) do
    if line == text or (partial and line:find(text, 1, true)) then return i end
  end
  error(('no line %s %q in the note'):format(partial and 'containing' or 'equal to', text), 2)
end

local function client()
  return vim.lsp.get_clients({ bufnr = note, name = 'vaultlink' })[1]
end

--- An LSP position at 1-based line `lnum`, just after the first `needle` on it, in the client's
--- encoding (built by hand: in normal mode the cursor cannot sit after the line's last character).
local function position_after(lnum, needle, c)
  local line = lines()[lnum]
  local _, e = line:find(needle, 1, true)
  expect(e, ('%q not on line %d'):format(needle, lnum))
  local character = e
  if c.offset_encoding ~= 'utf-8' then
    local utf32, utf16 = vim.str_utfindex(line, e)
    character = c.offset_encoding == 'utf-16' and utf16 or utf32
  end
  return { textDocument = { uri = note_uri }, position = { line = lnum - 1, character = character } }
end

local function request(c, method, params, ms)
  local response, err = c.request_sync(method, params, ms or 10000, note)
  expect(response, ('%s: no answer within %d ms (%s)'):format(method, ms or 10000, tostring(err)))
  expect(not response.err, ('%s: error %s'):format(method, vim.inspect(response.err)))
  return response.result
end

local function diagnostics(code)
  return vim.tbl_filter(function(d) return code == nil or d.code == code end, vim.diagnostic.get(note))
end

local function mentioning(text)
  return vim.tbl_filter(function(d) return d.message:find(text, 1, true) ~= nil end, vim.diagnostic.get(note))
end

local function summary_of(list)
  local parts = {}
  for _, d in ipairs(list) do table.insert(parts, ('%d:%s %s'):format(d.lnum + 1, tostring(d.code), d.message)) end
  return #list .. ' diagnostics' .. (#list > 0 and (': ' .. table.concat(parts, '; ', 1, math.min(#parts, 5))) or '')
end

check("the README's config starts one vaultlink client for the note, rooted at the note's folder (not the current directory)", function()
  wait_for(15000, 'a vaultlink client attached to the note and initialized', function()
    local c = client()
    return c ~= nil and c.initialized == true
  end, function() return vim.inspect(vim.tbl_map(function(c) return c.name end, vim.lsp.get_clients())) end)
  local c = client()
  expect(c.config.root_dir == vault, ('root_dir is %q, not the vault %q (cwd: %q)'):format(tostring(c.config.root_dir), vault, vim.uv.cwd()))
  local folders = c.workspace_folders or {}
  expect(#folders == 1 and folders[1].uri == vim.uri_from_fname(vault), 'workspace folders: ' .. vim.inspect(folders))
  expect(#vim.lsp.get_clients({ name = 'vaultlink' }) == 1, 'more than one vaultlink client')
end)

check('the 43 link.missing-image diagnostics arrive without an edit', function()
  local t0 = vim.uv.hrtime()
  wait_for(20000, '43 link.missing-image diagnostics', function() return #diagnostics('link.missing-image') >= 43 end,
    function() return summary_of(diagnostics()) end)
  local arrived = elapsed_ms(t0)
  -- Reported twice (push and pull in two namespaces) would show 86: give a second copy a moment to show up.
  vim.wait(1500, function() return #diagnostics('link.missing-image') > 43 end, 50)
  expect(#diagnostics('link.missing-image') == 43, ('%d link.missing-image diagnostics, not 43'):format(#diagnostics('link.missing-image')))
  expect(#mentioning('What_mlops.png') == 1, 'no diagnostic for What_mlops.png: ' .. summary_of(diagnostics()))
  expect(vim.b[note].changedtick == tick_at_start, 'the note was edited')
  timings.diagnostics_ms = arrived
end)

check('F12 (vim.lsp.buf.definition) on [[#Opening Keynote|Opening Keynote]] lands on its heading', function()
  local c = expect(client(), 'no client')
  local link = line_of('- [[#Opening Keynote|Opening Keynote]]')
  local heading = line_of('# Opening Keynote')
  vim.api.nvim_win_set_cursor(0, { link, 8 }) -- inside "Opening"
  vim.lsp.buf.definition()
  wait_for(10000, ('the cursor on line %d'):format(heading), function()
    return vim.api.nvim_get_current_buf() == note and vim.api.nvim_win_get_cursor(0)[1] == heading
  end, function()
    return ('buffer %q, cursor %s'):format(vim.api.nvim_buf_get_name(0), vim.inspect(vim.api.nvim_win_get_cursor(0)))
  end)
  -- A Korean heading: positions after multi-byte text, in the client's encoding.
  local korean = 'LINE 플랫폼 서버의 장애 대응 프로세스와 문화'
  local klink = line_of('- [[#' .. korean .. '|', true)
  local kheading = line_of('# ' .. korean)
  local result = request(c, 'textDocument/definition', position_after(klink, '서버', c))
  local location = vim.islist(result) and result[1] or result
  expect(location, 'no definition for the link to ' .. korean)
  local uri = location.uri or location.targetUri
  local range = location.range or location.targetSelectionRange
  expect(vim.uri_to_fname(uri) == note_name, 'definition in another file: ' .. tostring(uri))
  expect(range.start.line == kheading - 1, ('definition on line %d, not %d'):format(range.start.line + 1, kheading))
end)

-- Before any edit: a change still waiting for Neovim's debounce (150 ms) would make it pull
-- again, and that pull, not the file event, would clear the diagnostic.
check('an image created on disk clears its link.missing-image diagnostic (no edit pending)', function()
  expect(vim.b[note].changedtick == tick_at_start, 'the note was edited before this check')
  expect(#mentioning('What_mlops.png') == 1, 'no diagnostic for What_mlops.png to begin with: ' .. summary_of(diagnostics()))
  local file = assert(io.open(vault .. '/What_mlops.png', 'wb'))
  file:write('\137PNG\r\n\26\n')
  file:close()
  wait_for(10000, 'the diagnostic for What_mlops.png to go', function() return #mentioning('What_mlops.png') == 0 end,
    function() return summary_of(mentioning('What_mlops.png')) end)
  expect(#diagnostics('link.missing-image') == 42, ('%d link.missing-image diagnostics, not 42'):format(#diagnostics('link.missing-image')))
end)

check('[[# on a new line completes the headings of the note', function()
  local c = expect(client(), 'no client')
  local count = vim.api.nvim_buf_line_count(note)
  vim.api.nvim_buf_set_lines(note, count, count, false, { '[[#' })
  local ok, err = pcall(function()
    local params = position_after(count + 1, '[[#', c)
    params.context = { triggerKind = 2, triggerCharacter = '#' }
    local result = request(c, 'textDocument/completion', params)
    local items = result and (result.items or result) or {}
    local labels = vim.tbl_map(function(item) return item.label end, items)
    local function has(label)
      return vim.tbl_contains(labels, label) or vim.tbl_contains(labels, '#' .. label)
    end
    expect(has('Opening Keynote'), ('no "Opening Keynote" among %d items: %s'):format(#labels, table.concat(labels, ' | ', 1, math.min(#labels, 8))))
    expect(has('Lupus – MLOps 가속화를 위한 모니터링 시스템'), 'no Lupus heading among: ' .. table.concat(labels, ' | '))
  end)
  vim.api.nvim_buf_set_lines(note, count, count + 1, false, {})
  if not ok then error(err, 0) end
end)

check("what Neovim's omnifunc (<C-x><C-o>) lists after [[# and after [[#Open includes the heading", function()
  -- vim.lsp.omnifunc's own steps (Neovim 0.10: vim.lsp._completion), with the cursor where insert
  -- mode leaves it, after the typed text: the server's items, then Neovim's prefix filter on them.
  local c = expect(client(), 'no client')
  local completion = require('vim.lsp._completion')
  local count = vim.api.nvim_buf_line_count(note)
  local ok, err = pcall(function()
    for _, typed in ipairs({ '[[#', '[[#Open' }) do
      vim.api.nvim_buf_set_lines(note, count, -1, false, { typed })
      local params = position_after(count + 1, typed, c)
      local result = request(c, 'textDocument/completion', params)
      local boundary = vim.fn.match(typed, [[\k*$]])
      local shown = completion._convert_results(typed, count, #typed, boundary, nil, result, c.offset_encoding)
      local found = false
      for _, item in ipairs(shown) do
        if (item.abbr or ''):find('Opening Keynote', 1, true) or (item.word or ''):find('Opening Keynote', 1, true) then found = true end
      end
      local words = vim.tbl_map(function(item) return item.word end, shown)
      expect(found, ('after %q the omnifunc shows %d items (of %d), none for Opening Keynote: %s'):format(
        typed, #shown, #((result or {}).items or result or {}), table.concat(words, ' | ', 1, math.min(#words, 8))))
    end
  end)
  vim.api.nvim_buf_set_lines(note, count, -1, false, {})
  if not ok then error(err, 0) end
end)

check('renaming a heading (textDocument/rename, applied) changes the heading and the links to it', function()
  local c = expect(client(), 'no client')
  local old = 'LINE 플랫폼 서버의 장애 대응 프로세스와 문화'
  local new = 'LINE 플랫폼 서버의 장애 대응 문화'
  local heading = line_of('# ' .. old)
  local params = position_after(heading, '서버', c)
  params.newName = new
  local edit = expect(request(c, 'textDocument/rename', params), 'rename answered null')
  vim.lsp.util.apply_workspace_edit(edit, c.offset_encoding)
  local text = lines()
  expect(text[heading] == '# ' .. new, ('line %d reads %q'):format(heading, text[heading]))
  line_of('[[#' .. new .. '|', true)
  expect(not table.concat(text, '\n'):find('[[#' .. old, 1, true), 'a link still names the old heading')
end)

check('a note created on disk clears the diagnostic of a link to it', function()
  local count = vim.api.nvim_buf_line_count(note)
  vim.api.nvim_buf_set_lines(note, count, count, false, { '', 'See [[Retrospective 2021]].' })
  wait_for(10000, 'a diagnostic for the link to the missing note "Retrospective 2021"',
    function() return #mentioning('Retrospective 2021') > 0 end, function() return summary_of(diagnostics()) end)
  local file = assert(io.open(vault .. '/Retrospective 2021.md', 'w'))
  file:write('# Retrospective 2021\n')
  file:close()
  wait_for(10000, 'the diagnostic for "Retrospective 2021" to go', function() return #mentioning('Retrospective 2021') == 0 end,
    function() return summary_of(mentioning('Retrospective 2021')) end)
end)

check('opening the second note of the vault reuses the client', function()
  vim.cmd.edit(vim.fn.fnameescape(vault .. '/DEVIEW 2018.md'))
  local buf = vim.api.nvim_get_current_buf()
  wait_for(10000, 'DEVIEW 2018.md attached', function()
    return #vim.lsp.get_clients({ bufnr = buf, name = 'vaultlink' }) == 1
  end)
  expect(#vim.lsp.get_clients({ name = 'vaultlink' }) == 1, 'a second vaultlink client started')
end)

timings.checks_ms = elapsed_ms(started)
local file = assert(io.open(results_file, 'w'))
file:write(vim.json.encode({ results = results, timings = timings, done = true }))
file:close()
vim.cmd('qa!')
