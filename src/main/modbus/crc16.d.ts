// modbus-serial ships its CRC helper without types.
declare module 'modbus-serial/utils/crc16.js' {
  export default function crc16(buffer: Buffer): number;
}
