import { ProposedFeatures, createConnection } from 'vscode-languageserver/node';
import { setBackgroundTurnScheduler } from '../core/cancellation';
import { createNodeHosting } from '../node/hosting';
import { NodeFileSystem } from '../node/nodeFileSystem';
import { startServer } from './server';

// The transport (--stdio, --node-ipc, --socket) is chosen from the command line
// by vscode-languageserver, so the same file serves VS Code and any LSP editor.
const connection = createConnection(ProposedFeatures.all);

// A bug in one request must never take the server down with the user's session.
process.on('uncaughtException', (error) => connection.console.error(`Unexpected error: ${error.stack ?? error.message}`));
process.on('unhandledRejection', (reason) => connection.console.error(`Unexpected rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`));

// Background turns (core/cancellation.ts's backgroundTurn) come two immediates later: the first lets the
// messages read in this turn's poll phase queue their handlers (vscode-jsonrpc runs each from an immediate)
// ahead of the next slice, so a request waits for the slice running when it came, not for one more.
setBackgroundTurnScheduler((run) => setImmediate(() => setImmediate(run)));

const fileSystem = new NodeFileSystem();
startServer(connection, fileSystem, createNodeHosting(fileSystem));
