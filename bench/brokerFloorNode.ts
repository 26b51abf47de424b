import { createServer } from 'node:net';
import mqttPacket from 'mqtt-packet';
import { Aedes } from 'aedes';
import { startEmbeddedBroker } from '../src/main/broker/embeddedBroker';
import { SUBSCRIPTIONS } from '../src/shared/protocol/topics';

// A broker alone in its own process, read in process by a subscriber that does nothing: what the embedded
// broker costs `serve` before the engine does any work. Usage: brokerFloorNode.ts MODE
//   floor:    no broker, only what any Node broker must do: read each packet with aedes's parser
//             (mqtt-packet) and write its PUBACK (no routing, no checks, no subscriber)
//   bare:     aedes as `serve` creates it, no hooks
//   embedded: our startEmbeddedBroker (its hooks, no accounts)
//   auth:     startEmbeddedBroker with an account (its login and topic checks too)
// Prints `ready PORT`; each line on stdin is answered with `n COUNT` (messages delivered so far).

const mode = process.argv[2];
let delivered = 0;
let port: number;
if (mode === 'floor') {
  const server = createServer((socket) => {
    const parser = mqttPacket.parser();
    parser.on('packet', (p) => {
      if (p.cmd === 'connect') mqttPacket.writeToStream({ cmd: 'connack', returnCode: 0, sessionPresent: false }, socket);
      else if (p.cmd === 'pingreq') mqttPacket.writeToStream({ cmd: 'pingresp' }, socket);
      else if (p.cmd === 'publish') {
        delivered++;
        if (p.qos === 1) mqttPacket.writeToStream({ cmd: 'puback', messageId: p.messageId }, socket);
      }
    });
    socket.on('data', (chunk) => parser.parse(chunk));
    // A publisher that hangs up at the end of its run is not a failure of the floor.
    socket.on('error', () => socket.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as { port: number }).port;
} else if (mode === 'bare') {
  const broker = await Aedes.createBroker();
  const server = createServer(broker.handle);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as { port: number }).port;
  const deliver = (_packet: unknown, done: () => void) => {
    delivered++;
    done();
  };
  await Promise.all(SUBSCRIPTIONS.map((t) => new Promise<void>((r) => broker.subscribe(t, deliver as never, r))));
} else if (mode === 'embedded' || mode === 'auth') {
  const broker = await startEmbeddedBroker({ host: '127.0.0.1', port: 0, ...(mode === 'auth' ? { username: 'engine', password: 'bench-secret' } : {}) });
  port = broker.port;
  await broker.subscribe(SUBSCRIPTIONS, () => void delivered++);
} else throw new Error(`unknown mode ${mode}: floor, bare, embedded or auth`);

process.stdout.write(`ready ${port}\n`);
process.stdin.setEncoding('utf8');
process.stdin.on('data', () => process.stdout.write(`n ${delivered}\n`));
// The parent closes stdin to stop us.
process.stdin.on('end', () => process.exit(0));
