// Runs the product's own start-up (main.ts) as a child process for crash tests: one process
// per role, each in its own process group so that SIGKILL takes down tsx and node together.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

import { repoRoot } from '../config.ts';

export interface ProductProcessOptions {
  name: string;
  port: number;
  databaseUrl: string;
  dataDir: string;
  runWorkers: boolean;
  redisUrl?: string;
}

/** Lines of output kept per process, printed when a test needs to explain a failure. */
const keptOutputLines = 200;

export class ProductProcess {
  readonly baseUrl: string;
  private child: ChildProcess | null = null;
  private output: string[] = [];
  private exited: Promise<void> = Promise.resolve();

  constructor(private readonly options: ProductProcessOptions) {
    this.baseUrl = `http://127.0.0.1:${options.port}`;
  }

  /** Starts main.ts and waits until /health responds, or throws after `timeoutMs`. */
  async start(timeoutMs = 30_000): Promise<void> {
    const { options } = this;
    const child = spawn(process.execPath, ['--import', 'tsx', path.join('apps/api/src/main.ts')], {
      cwd: repoRoot,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        DATABASE_URL: options.databaseUrl,
        REDIS_URL: options.redisUrl ?? process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
        REDIS_FALLBACK: 'false',
        PORT: String(options.port),
        DATA_DIR: options.dataDir,
        SEED_DEMO: 'false',
        SERVE_APPS: 'false',
        RUN_WORKERS: String(options.runWorkers),
        MATCHING_INTERVAL_MS: '1000',
        RATE_LIMIT_PER_SECOND: '10000',
        LOG_LEVEL: process.env.CRASH_TEST_LOG_LEVEL ?? 'warn',
        STRIPE_SECRET_KEY: '',
      },
    });
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    const keep = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        this.output.push(`[${options.name} ${child.pid}] ${line}`);
      }
      this.output.splice(0, Math.max(0, this.output.length - keptOutputLines));
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);

    await this.waitForHealth(timeoutMs);
  }

  private async waitForHealth(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.child?.exitCode !== null) {
        throw new Error(
          `${this.options.name} exited with code ${this.child?.exitCode} before it was ready:\n` +
            this.recentOutput(),
        );
      }
      try {
        const response = await fetch(`${this.baseUrl}/health`, { signal: AbortSignal.timeout(1000) });
        if (response.ok) {
          return;
        }
      } catch {
        // Not listening yet.
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${this.options.name} did not respond on /health within ${timeoutMs} ms`);
  }

  /** Sends SIGKILL to the whole process group and waits for the exit. Safe to call twice. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child?.pid || child.exitCode !== null || child.signalCode !== null) {
      return;
    }
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // The group is already gone.
    }
    await Promise.race([this.exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
  }

  async restart(): Promise<void> {
    await this.kill();
    await this.start();
  }

  recentOutput(): string {
    return this.output.join('\n');
  }
}
