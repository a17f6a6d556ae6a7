export * from "./types";
export { EmbeddedChain, type EmbeddedChainOptions } from "./embedded";
export { RemoteChain, type RemoteChainOptions } from "./remote";
export { installStandardHost, setCallObserver, type CallObservation, type HostTally } from "./host";
