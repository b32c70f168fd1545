-- Headless Neovim 0.7 as a kpath LSP client, for test/lsp/neovim.test.ts: the snippet of
-- docs/editors.md, plus a handler that writes the diagnostics Neovim received to $KPATH_NVIM_OUT.
local out = os.getenv('KPATH_NVIM_OUT')
local cmd = vim.fn.json_decode(os.getenv('KPATH_LSP_CMD'))

local function finish(payload)
  local f = io.open(out, 'w')
  f:write(vim.fn.json_encode(payload))
  f:close()
  vim.cmd('qall!')
end

-- Give up (and say so) rather than hang the test.
vim.defer_fn(function() finish({ error = 'timeout: no kpath diagnostics within 40 s' }) end, 40000)

local default_handler = vim.lsp.handlers['textDocument/publishDiagnostics']
vim.lsp.handlers['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
  default_handler(err, result, ctx, config)
  -- Only the opened file's (the background analysis publishes other files' too).
  local opened = vim.uri_from_fname(vim.fn.fnamemodify(vim.fn.argv(0), ':p'))
  if result and result.uri == opened and #result.diagnostics > 0 then
    local bufnr = vim.uri_to_bufnr(result.uri)
    local seen = {}
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      table.insert(seen, {
        lnum = d.lnum,
        col = d.col,
        severity = d.severity,
        source = d.source,
        message = d.message,
        code = d.user_data and d.user_data.lsp and d.user_data.lsp.code,
        related = d.user_data and d.user_data.lsp and d.user_data.lsp.relatedInformation,
      })
    end
    finish({ uri = result.uri, diagnostics = seen })
  end
end

local kpath
vim.api.nvim_create_autocmd('FileType', {
  pattern = 'c',
  callback = function()
    kpath = kpath or vim.lsp.start_client({
      name = 'kpath',
      cmd = cmd,
      root_dir = vim.fn.getcwd(),
      settings = { kpath = {} },
    })
    vim.lsp.buf_attach_client(0, kpath)
  end,
})
