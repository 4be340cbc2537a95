-- Run by tests/test_editors.py: nvim --headless --clean -l nvim_check.lua SNIPPET FILE OUT [legacy]
-- Loads the bpolang snippet, opens FILE, waits for the language server's diagnostics and writes
-- what Neovim ended up with (filetype, buffer options, LSP clients, diagnostics) to OUT as JSON.
-- With `legacy`, vim.lsp.config and vim.lsp.enable are hidden, as on Neovim 0.10; with
-- `custom`, vim.g.bpo_cmd names the executable given in the environment as BPO_CMD.
local snippet, path, out_path, mode = arg[1], arg[2], arg[3], arg[4]
if mode == 'legacy' then
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
local out = {
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
