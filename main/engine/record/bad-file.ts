// What the reader thread answers besides a value: a file that is not what it should be (corrupt, foreign, from a
// newer version) is BAD_FILE with a sentence naming the file, never a crash; a request for something the file
// does not have (a position past its end) is the request's fault, not the file's.
export class BadFile extends Error {}

export class NotInFile extends Error {}
