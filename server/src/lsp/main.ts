/**
 * Entry point of `dist/server.js`, started by the VS Code client (`--node-ipc`) or by any editor
 * (`--stdio`); `vscode-languageserver` picks the transport from the command line. A workspace's
 * program lives as long as the editor: its heap is kept near its live size (heap.ts).
 */
import { limitHeapGrowth } from '../host/heap';
import { startLanguageServer } from './server';

limitHeapGrowth();
startLanguageServer();
