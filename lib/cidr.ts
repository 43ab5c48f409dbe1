/** IPv4 CIDR ranges, for the network plan's validation and defaults. */

/** An IPv4 range as [first, last] addresses, or undefined when it is not a valid network address. */
export function parseCidr(cidr: string): { first: number; last: number; prefix: number } | undefined {
  const [address, bits] = cidr.split("/");
  const octets = address.split(".").map(Number);
  const prefix = Number(bits);
  if (octets.length !== 4 || octets.some((o) => !Number.isInteger(o) || o > 255) || !(prefix >= 0 && prefix <= 32)) return undefined;
  const value = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  if (value % size !== 0) return undefined;
  return { first: value, last: value + size - 1, prefix };
}
