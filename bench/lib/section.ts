import type { BenchConfig } from "./config.ts";

/** What a section hands back to the orchestrator. */
export interface SectionResult {
  /** How it was measured: connections, duration, samples, what runs where. */
  method: string[];
  /** Markdown: tables and short notes. */
  body: string;
}

export interface Section {
  id: number;
  title: string;
  run(config: BenchConfig): Promise<SectionResult>;
}
