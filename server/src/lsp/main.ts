/**
 * Entry point of `dist/server.js`, started by the VS Code client (`--node-ipc`) or by any editor
 * (`--stdio`); `vscode-languageserver` picks the transport from the command line.
 */
import { startLanguageServer } from './server';

startLanguageServer();
