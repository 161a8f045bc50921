// A file that is not what it should be (corrupt, foreign, from a newer version): answered as BAD_FILE with a
// sentence naming the file, never a crash.
export class BadFile extends Error {}
