import type { ResultOf } from '../../../shared/contract';
import { useEngineQuery } from '../../engine/useEngineQuery';

type ConnectInfo = ResultOf<'engine.connectInfo'>;

/** How to get a real board (or any MQTT client) into MotorTwin, with this engine's own addresses. */
export function ConnectPage() {
  const q = useEngineQuery('engine.connectInfo', {});
  const info: ConnectInfo | null = q.data ?? null;
  const error = q.error;

  if (error) return <p className="error">{error}</p>;
  if (!info) return <p className="muted">loading…</p>;
  const topic = info.telemetryTopic.replace('<device_id>', 'motor_02');
  const payload = examplePayloadFor(info.examplePayload, 'motor_02');
  const pub = `mosquitto_pub -h ${info.brokerHost} -p ${info.brokerPort ?? 1883}${info.authRequired ? ' -u USER -P PASSWORD' : ''} -q 1 -t ${topic} -m '${payload}'`;
  return (
    <section data-testid="connect-page">
      <h1>Add a board</h1>
      <div className="panel">
        <h2>Over MQTT</h2>
        <p>
          {info.mode === 'embedded' ? 'MotorTwin runs its own MQTT broker' : 'MotorTwin is connected to the broker'} at{' '}
          <code data-testid="broker-url">{info.brokerUrl}</code>
          {info.authRequired ? ', which asks for a username and password.' : '.'} Point the board's firmware (or any MQTT client) at it and publish to:
        </p>
        <pre className="code">{info.telemetryTopic}</pre>
        <p>A payload as the original design wrote it is accepted as is:</p>
        <pre className="code">{info.examplePayload}</pre>
        <p>Try it from a terminal; a new motor appears in the fleet as soon as its first message arrives:</p>
        <pre className="code" data-testid="connect-example">{pub}</pre>
        <p className="muted small">
          The embedded broker listens on this computer only, unless it was started with a username and password for the LAN. To use an external broker
          (Mosquitto, EMQX, HiveMQ), start MotorTwin with <code>--mqtt mqtt://host:1883</code>. Commands to a board arrive on <code>{info.telemetryTopic.replace(/telemetry$/, 'commands')}</code>, for example{' '}
          <code>{info.exampleCommand}</code>.
        </p>
      </div>
      <div className="panel">
        <h2>Over USB serial</h2>
        <p>
          A board on USB speaks the same messages as newline-delimited JSON (one object per line with a <code>"type"</code>) at 115200 baud, and becomes a twin like
          any other. Plug it in and open its port under{' '}
          <a href="#/boards" data-testid="connect-boards-link">
            Boards
          </a>
          : the usual ESP32 USB bridges (CP210x, CH340, FTDI, native USB) are recognised, the console shows everything the board prints, and the board is reconnected
          by itself when it is unplugged and plugged back in. From there you can also flash firmware and calibrate its sensors.
        </p>
        <p className="muted small">
          To open a port at start: <code>motortwin serve --serial /dev/ttyUSB0</code> (or <code>/dev/ttyUSB0@921600</code>; repeat for more boards). No board at
          hand? <code>motortwin sim --serial /tmp/boards</code> runs a virtual one. On Linux, a port that says “permission denied” needs{' '}
          <code>sudo usermod -aG dialout $USER</code> and a new login.
        </p>
      </div>
    </section>
  );
}

/** The engine's example, for the motor being added and stamped now, so pasting it works as is. */
function examplePayloadFor(example: string, deviceId: string): string {
  const payload = JSON.parse(example) as Record<string, unknown>;
  return JSON.stringify({ ...payload, device_id: deviceId, timestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z') });
}
