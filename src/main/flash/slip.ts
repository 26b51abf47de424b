// SLIP framing as the ESP ROM bootloader uses it: 0xC0 ends a packet, 0xC0 and 0xDB inside are escaped.

const END = 0xc0;
const ESC = 0xdb;
const ESC_END = 0xdc;
const ESC_ESC = 0xdd;

export function slipEncode(packet: Uint8Array): Buffer {
  const out: number[] = [END];
  for (const b of packet) {
    if (b === END) out.push(ESC, ESC_END);
    else if (b === ESC) out.push(ESC, ESC_ESC);
    else out.push(b);
  }
  out.push(END);
  return Buffer.from(out);
}

/** Collects packets from a byte stream; bytes outside a packet (line noise, text) are ignored. */
export class SlipDecoder {
  private packet: number[] | null = null;
  private escaping = false;

  push(chunk: Uint8Array): { packets: Buffer[]; errors: number } {
    const packets: Buffer[] = [];
    let errors = 0;
    for (const b of chunk) {
      if (b === END) {
        if (this.packet && this.packet.length) packets.push(Buffer.from(this.packet));
        this.packet = [];
        this.escaping = false;
      } else if (this.packet === null) {
        continue;
      } else if (this.escaping) {
        this.escaping = false;
        if (b === ESC_END) this.packet.push(END);
        else if (b === ESC_ESC) this.packet.push(ESC);
        else {
          errors++;
          this.packet = null;
        }
      } else if (b === ESC) this.escaping = true;
      else this.packet.push(b);
    }
    return { packets, errors };
  }
}
