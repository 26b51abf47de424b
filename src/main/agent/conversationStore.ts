import type { ChatMessage } from '../../shared/agentContract';
import type { MotorDatabase } from '../store/database';

/** Conversations per motor in DuckDB, so they survive restarts; clearing one forgets it. */
export class ConversationStore {
  private readonly nextSeq = new Map<string, number>();

  constructor(private readonly db: MotorDatabase) {}

  async history(motorId: string, limit = 200): Promise<ChatMessage[]> {
    const rows = await this.db.query(
      `SELECT seq, epoch_ms(ts)::DOUBLE AS ts, role, content, mode, steps::VARCHAR AS steps, citations::VARCHAR AS citations
       FROM (SELECT * FROM chat_messages WHERE motor_id = $1 ORDER BY seq DESC LIMIT $2) ORDER BY seq`,
      [motorId, limit],
    );
    return rows.map((r) => ({
      id: `${motorId}:${Number(r.seq)}`,
      motorId,
      role: r.role as ChatMessage['role'],
      content: String(r.content),
      ts: Number(r.ts),
      mode: (r.mode ?? null) as ChatMessage['mode'],
      steps: JSON.parse(String(r.steps)),
      citations: JSON.parse(String(r.citations)),
    }));
  }

  async append(m: Omit<ChatMessage, 'id'>): Promise<ChatMessage> {
    const seq = await this.seqFor(m.motorId);
    this.nextSeq.set(m.motorId, seq + 1);
    await this.db.run('INSERT INTO chat_messages VALUES ($1, $2, make_timestamp($3::BIGINT * 1000), $4, $5, $6, $7::JSON, $8::JSON)', [
      m.motorId,
      seq,
      Math.round(m.ts),
      m.role,
      m.content,
      m.mode,
      JSON.stringify(m.steps),
      JSON.stringify(m.citations),
    ]);
    return { ...m, id: `${m.motorId}:${seq}` };
  }

  async clear(motorId: string): Promise<number> {
    const n = Number((await this.db.query('SELECT count(*) AS n FROM chat_messages WHERE motor_id = $1', [motorId]))[0].n);
    await this.db.run('DELETE FROM chat_messages WHERE motor_id = $1', [motorId]);
    return n;
  }

  private async seqFor(motorId: string): Promise<number> {
    const known = this.nextSeq.get(motorId);
    if (known !== undefined) return known;
    const rows = await this.db.query('SELECT coalesce(max(seq), 0) AS s FROM chat_messages WHERE motor_id = $1', [motorId]);
    return Number(rows[0].s) + 1;
  }
}
