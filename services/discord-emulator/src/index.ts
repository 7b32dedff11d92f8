// The emulator as a library: start one in-process (tests, `make run`), and drive it through
// its control API with the typed client. `main.ts` is the same emulator as a process.
export { createEmulator, DefaultEmulatorOptions, type Emulator, type EmulatorOptions } from './emulator.js';
export { EMULATOR_APPLICATION_ID, EMULATOR_BOT_TOKEN } from './config.js';
export * from './client.js';
export type { FaultSpec } from './faults.js';
export type { Attachment, Channel, Message, Overwrite } from './state.js';
