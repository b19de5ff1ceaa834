import * as vscode from "vscode";

/** What a step returns when the user pressed its Back button. */
export const BACK = Symbol("back");

/** A step's answer: a value, {@link BACK}, or undefined when the user closed the input. */
export type StepAnswer<T> = T | typeof BACK | undefined;

/** One text step of a multi-step input. */
export interface TextStep {
  title: string;
  prompt?: string;
  placeholder?: string;
  value?: string;
  password?: boolean;
  /** Shows a Back button (every step after the first). */
  back?: boolean;
  /** A message saying what is wrong, or undefined when the value is fine. */
  validate?(value: string): string | undefined;
}

/** One pick step of a multi-step input. */
export interface PickStep<T extends vscode.QuickPickItem> {
  title: string;
  placeholder?: string;
  items: readonly T[];
  /** Shows a Back button (every step after the first). */
  back?: boolean;
  matchOnDescription?: boolean;
  /** Search the items' detail line too (a customer's breadcrumb, an endpoint's number). */
  matchOnDetail?: boolean;
  /** The item the cursor starts on. */
  active?: T;
}

/**
 * Asks for text with an input box that stays open on invalid input and can step back. Unlike
 * `showInputBox`, a Back button lets multi-step flows (sign-in, custom dates) go back a step
 * with what was typed kept.
 */
export function askText(step: TextStep): Promise<StepAnswer<string>> {
  const box = vscode.window.createInputBox();
  box.title = step.title;
  box.prompt = step.prompt;
  box.placeholder = step.placeholder;
  box.value = step.value ?? "";
  box.password = step.password === true;
  box.ignoreFocusOut = true;
  box.buttons = step.back === true ? [vscode.QuickInputButtons.Back] : [];
  return run(box, (finish) => [
    box.onDidChangeValue((value) => {
      box.validationMessage = step.validate?.(value);
    }),
    box.onDidAccept(() => {
      const problem = step.validate?.(box.value);
      box.validationMessage = problem;
      if (problem === undefined) finish(box.value);
    }),
  ]);
}

/** Picks one item, with an optional Back button. */
export function pickOne<T extends vscode.QuickPickItem>(step: PickStep<T>): Promise<StepAnswer<T>> {
  const pick = createPick(step);
  if (step.active !== undefined) pick.activeItems = [step.active];
  return run(pick, (finish) => [
    pick.onDidAccept(() => {
      const chosen = pick.selectedItems[0] ?? pick.activeItems[0];
      if (chosen !== undefined) finish(chosen);
    }),
  ]);
}

/** Picks any number of items (those with `picked` start ticked), with an optional Back button. */
export function pickMany<T extends vscode.QuickPickItem>(
  step: PickStep<T>,
): Promise<StepAnswer<readonly T[]>> {
  const pick = createPick(step);
  pick.canSelectMany = true;
  pick.selectedItems = step.items.filter((item) => item.picked === true);
  return run(pick, (finish) => [pick.onDidAccept(() => finish([...pick.selectedItems]))]);
}

function createPick<T extends vscode.QuickPickItem>(step: PickStep<T>): vscode.QuickPick<T> {
  const pick = vscode.window.createQuickPick<T>();
  pick.title = step.title;
  pick.placeholder = step.placeholder;
  pick.items = step.items;
  pick.matchOnDescription = step.matchOnDescription === true;
  pick.matchOnDetail = step.matchOnDetail === true;
  pick.ignoreFocusOut = true;
  pick.buttons = step.back === true ? [vscode.QuickInputButtons.Back] : [];
  return pick;
}

function run<T>(
  input: vscode.QuickInput & { onDidTriggerButton: vscode.Event<vscode.QuickInputButton> },
  listen: (finish: (answer: StepAnswer<T>) => void) => vscode.Disposable[],
): Promise<StepAnswer<T>> {
  return new Promise((resolve) => {
    let done = false;
    const subscriptions: vscode.Disposable[] = [];
    const finish = (answer: StepAnswer<T>) => {
      if (done) return;
      done = true;
      for (const subscription of subscriptions) subscription.dispose();
      input.dispose();
      resolve(answer);
    };
    subscriptions.push(
      ...listen(finish),
      input.onDidTriggerButton((button) => {
        if (button === vscode.QuickInputButtons.Back) finish(BACK);
      }),
      input.onDidHide(() => finish(undefined)),
    );
    input.show();
  });
}
