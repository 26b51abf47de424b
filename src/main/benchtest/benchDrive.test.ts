import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { CommandRecord, CommandRequest, CommandStatus, Issuer } from '../../shared/commandsContract';
import { CommandRefused } from '../commands/commandService';
import { gateDrive, type CommandGate } from './benchDrive';

// The bench run's drive over a stand-in command gate: it waits for the motor's final answer.

class FakeGate extends EventEmitter<{ command: [CommandRecord] }> implements CommandGate {
  readonly created: Array<{ req: CommandRequest; issuer: Issuer }> = [];
  refuse: string | null = null;
  create(req: CommandRequest, issuer: Issuer): CommandRecord {
    if (this.refuse) throw new CommandRefused(this.refuse);
    this.created.push({ req, issuer });
    return { id: `cmd-${this.created.length}`, deviceId: req.deviceId, action: req.action, value: req.value ?? null, status: 'sent' } as CommandRecord;
  }
  answer(n: number, status: CommandStatus, detail: string | null = null): void {
    this.emit('command', { id: `cmd-${n}`, status, detail } as CommandRecord);
  }
}

describe('the bench drive through the command gate', () => {
  it('sends SET_SPEED as the operator and resolves once the motor applied it', async () => {
    const gate = new FakeGate();
    let done = false;
    const p = gateDrive(gate, 'm1', 'Ada').setSpeed(888, 'bench run bt-1, step "speed_60"').then(() => (done = true));
    expect(gate.created).toEqual([{ req: { deviceId: 'm1', action: 'SET_SPEED', value: 888, reason: 'bench run bt-1, step "speed_60"' }, issuer: { kind: 'person', name: 'Ada' } }]);
    gate.answer(1, 'received');
    await Promise.resolve();
    expect(done).toBe(false);
    gate.answer(1, 'applied');
    await p;
    expect(gate.listenerCount('command')).toBe(0);
  });

  it('rejects with the reason when the gate refuses, or the motor rejects or never answers', async () => {
    const gate = new FakeGate();
    const drive = gateDrive(gate, 'm1', 'Ada');
    gate.refuse = 'rate limit: at most 6 commands per minute for this motor';
    await expect(drive.stop('x')).rejects.toThrow('STOP refused: rate limit: at most 6 commands per minute for this motor');
    gate.refuse = null;
    const rejected = drive.stop('x');
    gate.answer(1, 'rejected', 'drive in local mode');
    await expect(rejected).rejects.toThrow('STOP rejected: drive in local mode');
    const expired = drive.setSpeed(1184, 'x');
    gate.answer(2, 'expired', 'no final acknowledgement within 30 s');
    await expect(expired).rejects.toThrow('SET_SPEED expired: no final acknowledgement within 30 s');
    expect(gate.listenerCount('command')).toBe(0);
  });
});
