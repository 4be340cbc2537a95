-- Run by tests/test_editors.py: nvim --headless --clean -l nvim_check.lua SNIPPET FILE OUT [legacy]
-- Loads the bpolang snippet, opens FILE, waits for the language server's diagnostics and writes
-- what Neovim ended up with (filetype, buffer options, LSP clients, diagnostics) to OUT as JSON.
-- With `legacy`, vim.lsp.config and vim.lsp.enable are hidden, as on Neovim 0.10; with
-- `custom`, vim.g.bpo_cmd names the executable given in the environment as BPO_CMD.
local snippet, path, out_path, mode = arg[1], arg[2], arg[3], arg[4]
local notified = {}
local notify = vim.notify
vim.notify = function(msg, level, opts)
  table.insert(notified, msg)
  return notify(msg, level, opts)
end
if mode == 'old' then -- as on Neovim 0.9: has('nvim-0.10') is false
  local has = vim.fn.has
  vim.fn.has = function(feature)
    if feature == 'nvim-0.10' then
      return 0
    end
    return has(feature)
  end
elseif mode == 'legacy' then
  vim.lsp.config = nil
  vim.lsp.enable = nil
elseif mode == 'custom' then
  vim.g.bpo_cmd = { vim.env.BPO_CMD, 'lsp' }
end
dofile(snippet)
vim.cmd.edit(vim.fn.fnameescape(path))
vim.wait(10000, function()
  return #vim.diagnostic.get(0) > 0
end, 20)
-- what the server's semantic tokens and inlay hints give, on the line named by BPO_LINE
local highlights, hints = {}, {}
local wanted = vim.env.BPO_LINE
if wanted ~= nil and mode ~= 'old' then
  vim.lsp.inlay_hint.enable(true, { bufnr = 0 })
  local row
  for i, line in ipairs(vim.api.nvim_buf_get_lines(0, 0, -1, false)) do
    if line:find(wanted, 1, true) then
      row = i - 1
      break
    end
  end
  -- Neovim applies the tokens to the lines it draws: show that line
  vim.api.nvim_win_set_cursor(0, { row + 1, 0 })
  vim.cmd('normal! zz')
  local function coloured()
    vim.cmd('redraw')
    local seen = {}
    local line = vim.api.nvim_buf_get_lines(0, row, row + 1, false)[1]
    for col = 0, #line - 1 do
      for _, t in ipairs(vim.inspect_pos(0, row, col, { semantic_tokens = true }).semantic_tokens) do
        local word = line:sub(t.col + 1, t.end_col)
        seen[word] = seen[word] or {}
        if not vim.tbl_contains(seen[word], t.opts.hl_group) then
          table.insert(seen[word], t.opts.hl_group)
        end
      end
    end
    return seen
  end
  vim.wait(10000, function()
    highlights = coloured()
    return next(highlights) ~= nil
  end, 50)
  vim.wait(10000, function()
    hints = {}
    for _, h in ipairs(vim.lsp.inlay_hint.get({ bufnr = 0 })) do
      local label = h.inlay_hint.label
      table.insert(hints, { line = h.inlay_hint.position.line, label = type(label) == 'string' and label or '' })
    end
    return #hints > 0
  end, 50)
end
local out = {
  highlights = highlights,
  hints = hints,
  notified = notified,
  filetype = vim.bo.filetype,
  commentstring = vim.bo.commentstring,
  shiftwidth = vim.bo.shiftwidth,
  expandtab = vim.bo.expandtab,
  clients = {},
  diagnostics = {},
  codes = {},
}
for _, c in ipairs(vim.lsp.get_clients({ bufnr = 0 })) do
  table.insert(out.clients, { name = c.name, cmd = c.config.cmd, root_dir = c.config.root_dir })
end
for _, d in ipairs(vim.diagnostic.get(0)) do
  table.insert(out.diagnostics, d.message)
  if d.code ~= nil then
    table.insert(out.codes, tostring(d.code))
  end
end
vim.fn.writefile({ vim.json.encode(out) }, out_path)
