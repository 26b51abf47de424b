import type { OperatorAction } from '../../shared/commandsContract';

// What the agent needs from the command service (src/main/commands/): queue a command for a person to
// approve. The service enforces the motor's limits and throws with the reason when they refuse it; the agent
// never sends anything itself.

export interface ProposedCommand {
  id: string;
  status: string;
}

export interface CommandProposer {
  propose(p: {
    deviceId: string;
    action: OperatorAction;
    value?: number;
    reason: string;
    issuer: { kind: 'agent'; name: string };
  }): ProposedCommand | Promise<ProposedCommand>;
}
