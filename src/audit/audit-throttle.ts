import { AUDIT_THROTTLE_MAX_SOURCES, AUDIT_THROTTLE_PER_MINUTE, AUDIT_THROTTLE_WINDOW_MS } from './audit.constants';

interface Window {
  startedAt: number;
  recorded: number;
  /** Dropped in this window, reported by the first record of the next one. */
  dropped: number;
}

/** Whether to write this event, and how many like it were dropped since the last one written. */
export interface ThrottleDecision {
  record: boolean;
  droppedBefore: number;
}

/**
 * Bounds events that a caller can cause at will (refused operator overrides): at most
 * AUDIT_THROTTLE_PER_MINUTE per source (principal or client address) and kind per minute; the rest
 * are counted and the next written event says how many were dropped. Per process, in memory, with a
 * bounded number of sources, so the trail stays readable and cannot be used to fill the table.
 */
export class AuditThrottle {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly perWindow = AUDIT_THROTTLE_PER_MINUTE,
    private readonly windowMs = AUDIT_THROTTLE_WINDOW_MS,
    private readonly maxSources = AUDIT_THROTTLE_MAX_SOURCES,
  ) {}

  admit(source: string, now = Date.now()): ThrottleDecision {
    let window = this.windows.get(source);
    let droppedBefore = 0;
    if (window && now - window.startedAt >= this.windowMs) {
      droppedBefore = window.dropped;
      this.windows.delete(source);
      window = undefined;
    }
    if (!window) {
      this.makeRoom(now);
      window = { startedAt: now, recorded: 0, dropped: 0 };
      this.windows.set(source, window);
    }
    if (window.recorded >= this.perWindow) {
      window.dropped++;
      return { record: false, droppedBefore: 0 };
    }
    window.recorded++;
    return { record: true, droppedBefore };
  }

  /** Forgets finished windows, then (a flood of distinct sources) the oldest ones. */
  private makeRoom(now: number): void {
    if (this.windows.size < this.maxSources) return;
    for (const [source, window] of this.windows) if (now - window.startedAt >= this.windowMs) this.windows.delete(source);
    for (const source of this.windows.keys()) {
      if (this.windows.size < this.maxSources) break;
      this.windows.delete(source);
    }
  }
}
