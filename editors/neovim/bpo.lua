-- bpolang for Neovim: the `bpo` filetype for *.bpo files, `#` comments, and the language
-- server `bpo lsp` (diagnostics of `bpo check` as you type, formatting, and what else the
-- server offers).
--
-- Copy this file into your configuration (for example ~/.config/nvim/plugin/bpo.lua, which
-- Neovim runs at start-up), or load it from a clone of the repository:
--
--     dofile('/path/to/bpolang/editors/neovim/bpo.lua')
--
-- Set vim.g.bpo_cmd before it runs to start another executable, for example a virtual
-- environment's: vim.g.bpo_cmd = { '/path/to/.venv/bin/bpo', 'lsp' }
--
-- Neovim 0.10 or later is needed (vim.fs.root, inlay hints); on an older one this file says so
-- and sets nothing up.  Neovim 0.11 or later uses vim.lsp.config and vim.lsp.enable (the way
-- nvim-lspconfig now works too); Neovim 0.10 starts the server with vim.lsp.start.  Neovim
-- colours .bpo with the server's semantic tokens; `:lua vim.lsp.inlay_hint.enable()` shows the
-- computed dates and amounts inline.

if vim.fn.has('nvim-0.10') ~= 1 then
  vim.notify(
    'bpolang: bpo.lua needs Neovim 0.10 or later (this one is older): the bpo language server is not set up',
    vim.log.levels.ERROR
  )
  return
end

vim.filetype.add({ extension = { bpo = 'bpo' } })

local group = vim.api.nvim_create_augroup('bpolang', { clear = true })

vim.api.nvim_create_autocmd('FileType', {
  group = group,
  pattern = 'bpo',
  desc = 'bpolang: comments and indentation',
  callback = function(args)
    local bo = vim.bo[args.buf]
    bo.commentstring = '# %s' -- gc / gcc comment lines with `#`
    bo.comments = ':#'
    -- the layout of `bpo fmt`: two spaces per level
    bo.expandtab = true
    bo.shiftwidth = 2
    bo.softtabstop = 2
  end,
})

local server = {
  cmd = vim.g.bpo_cmd or { 'bpo', 'lsp' },
  filetypes = { 'bpo' },
  -- the folder holding the rule configuration is the workspace
  root_markers = { 'pyproject.toml', 'bpolang.toml', '.git' },
}

if vim.lsp.config ~= nil and vim.lsp.enable ~= nil then
  vim.lsp.config('bpo', server)
  vim.lsp.enable('bpo')
else
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = 'bpo',
    desc = 'bpolang: start bpo lsp',
    callback = function(args)
      local root = vim.fs.root(args.buf, server.root_markers)
      vim.lsp.start({
        name = 'bpo',
        cmd = server.cmd,
        root_dir = root or vim.fs.dirname(vim.api.nvim_buf_get_name(args.buf)),
      }, { bufnr = args.buf })
    end,
  })
end
