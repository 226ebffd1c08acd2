import { ProposedFeatures, RAL, createConnection } from 'vscode-languageserver/node';
import { setBackgroundTurnScheduler } from '../core/cancellation';
import { createNodeHosting } from '../node/hosting';
import { NodeFileSystem } from '../node/nodeFileSystem';
import { createProtocolFirst } from './protocolFirst';
import { startServer } from './server';

// Messages before background work (protocolFirst.ts): vscode-jsonrpc's immediates are counted, through its
// runtime layer, and a background turn (core/cancellation.ts's backgroundTurn) waits while any is queued.
const runtime = RAL();
const protocolFirst = createProtocolFirst((callback, ...args) => runtime.timer.setImmediate(callback, ...args), (callback) => void setImmediate(callback));
RAL.install({ ...runtime, timer: { ...runtime.timer, setImmediate: protocolFirst.setImmediate } });
setBackgroundTurnScheduler(protocolFirst.scheduleTurn);

// The transport (--stdio, --node-ipc, --socket) is chosen from the command line
// by vscode-languageserver, so the same file serves VS Code and any LSP editor.
const connection = createConnection(ProposedFeatures.all);

// A bug in one request must never take the server down with the user's session.
process.on('uncaughtException', (error) => connection.console.error(`Unexpected error: ${error.stack ?? error.message}`));
process.on('unhandledRejection', (reason) => connection.console.error(`Unexpected rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`));

const fileSystem = new NodeFileSystem();
startServer(connection, fileSystem, createNodeHosting(fileSystem));
