/**
 * How much the parser's scanners have examined: characters looked at by hand
 * or by a native search (`indexOf`, a regular expression), and the steps of
 * binary searches. Incremented in the scanners' inner loops and never read by
 * them; `test/unit/linearity.test.ts` parses a pathological input at two sizes
 * and checks that the count grows with the input, not with its square.
 */
export const scanWork = { steps: 0 };
