/** A mistake of the person at the terminal: printed as a sentence, without a stack. */
export class CliError extends Error {}
