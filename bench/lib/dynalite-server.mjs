// Serves dynalite on 127.0.0.1 from the LevelDB folder given as the first argument, in a process
// of its own, as DynamoDB is a service of its own. Prints {"port":N} once it listens.
import dynalite from 'dynalite';

const server = dynalite({
  path: process.argv[2],
  createTableMs: 0,
  deleteTableMs: 0,
  updateTableMs: 0,
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
