// Exits 0 when something accepts TCP connections at the host and port of the URL argument.
import net from 'node:net';

const url = new URL(process.argv[2]);
const socket = net.connect({ host: url.hostname, port: Number(url.port) || 5432 });
socket.setTimeout(1500);
socket.on('connect', () => {
  socket.end();
  process.exit(0);
});
socket.on('timeout', () => process.exit(1));
socket.on('error', () => process.exit(1));
