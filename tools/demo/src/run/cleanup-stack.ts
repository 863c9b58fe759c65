/** Undo steps run in reverse order; one failing step does not skip the others. */
export class CleanupStack {
  private readonly steps: { label: string; undo: () => Promise<unknown> }[] = [];

  push(label: string, undo: () => Promise<unknown>): void {
    this.steps.push({ label, undo });
  }

  async runAll(onError: (label: string, error: unknown) => void): Promise<void> {
    for (const step of this.steps.reverse()) {
      try {
        await step.undo();
      } catch (error) {
        onError(step.label, error);
      }
    }
    this.steps.length = 0;
  }
}
