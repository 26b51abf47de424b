/**
 * One timer per polling interval for all the TCP devices polled at it: on each multiple of the interval on the
 * clock every one of them is told it is due, in the same turn of the event loop. A fleet of 50 drives at 1 s costs
 * one timer a second instead of 50 set, queued and fired.
 */
export class PollClock {
  private readonly rounds = new Map<number, Round>();

  /** Calls `due` on every multiple of `intervalMs` until the returned function is called. */
  join(intervalMs: number, due: () => void): () => void {
    let round = this.rounds.get(intervalMs);
    if (!round) {
      round = { members: new Set(), timer: null, at: 0 };
      this.rounds.set(intervalMs, round);
    }
    round.members.add(due);
    if (!round.timer) this.arm(intervalMs, round, nextMultiple(Date.now(), intervalMs));
    const r = round;
    return () => {
      r.members.delete(due);
      if (r.members.size || this.rounds.get(intervalMs) !== r) return;
      if (r.timer) clearTimeout(r.timer);
      this.rounds.delete(intervalMs);
    };
  }

  close(): void {
    for (const r of this.rounds.values()) if (r.timer) clearTimeout(r.timer);
    this.rounds.clear();
  }

  private arm(intervalMs: number, round: Round, at: number): void {
    round.at = at;
    round.timer = setTimeout(() => {
      round.timer = null;
      for (const due of round.members) due();
      if (!round.members.size) return;
      // The next multiple after the one just served, even when the timer fired a millisecond early by the wall clock;
      // after a stall (a suspended laptop) the next one from now, not a burst of the missed ones.
      const now = Date.now();
      this.arm(intervalMs, round, now < round.at + intervalMs ? round.at + intervalMs : nextMultiple(now, intervalMs));
    }, at - Date.now());
  }
}

interface Round {
  members: Set<() => void>;
  timer: ReturnType<typeof setTimeout> | null;
  /** The clock multiple the timer is set for. */
  at: number;
}

const nextMultiple = (now: number, intervalMs: number) => (Math.floor(now / intervalMs) + 1) * intervalMs;
