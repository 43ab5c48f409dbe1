/**
 * PyYAML's implicit tag resolution (YAML 1.1). The emitter may write a string unquoted only when
 * reading it back plain would give a string again: `'1'`, `'true'`, `''` and `'2024-01-01'` must
 * stay quoted, while `2.1.0`, `0s` and `1000m` need no quotes.
 *
 * Python's `$` also matches before one trailing newline, hence the `\n?` before each end anchor.
 */
const RESOLVERS: readonly { readonly firstChars: string; readonly pattern: RegExp }[] = [
  {
    firstChars: "yYnNtTfFoO",
    pattern: /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)\n?$/,
  },
  {
    firstChars: "-+0123456789.",
    pattern:
      /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))\n?$/,
  },
  {
    firstChars: "-+0123456789",
    pattern: /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)\n?$/,
  },
  { firstChars: "<", pattern: /^(?:<<)\n?$/ },
  { firstChars: "~nN", pattern: /^(?:~|null|Null|NULL|)\n?$/ },
  {
    firstChars: "0123456789",
    pattern:
      /^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)\n?$/,
  },
  { firstChars: "=", pattern: /^(?:=)\n?$/ },
  { firstChars: "!&*", pattern: /^(?:!|&|\*)\n?$/ },
];

/** Whether `text`, written as a plain scalar, would be read back as a string. */
export function plainResolvesToString(text: string): boolean {
  // The empty string resolves to null through the resolver registered for ''.
  if (text === "") return false;
  return !RESOLVERS.some((resolver) => resolver.firstChars.includes(text[0]) && resolver.pattern.test(text));
}
