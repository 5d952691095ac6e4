/**
 * `toast.success(text)` without loading the toast library: the message waits
 * here until the toast region (LazyToaster) has loaded it and attached, so
 * pages that never toast (every public page) never download it.
 */
type Toast = { kind: "success" | "error"; text: string };

const waiting: Toast[] = [];
const requestListeners = new Set<() => void>();
let deliver: ((toast: Toast) => void) | null = null;

function show(toast: Toast) {
  if (deliver) return deliver(toast);
  waiting.push(toast);
  for (const listener of requestListeners) listener();
}

export const toast = {
  success: (text: string) => show({ kind: "success", text }),
  error: (text: string) => show({ kind: "error", text }),
};

/** The toast region asks to hear of the first toast, so it can load the library then. */
export function onToastRequested(listener: () => void): () => void {
  requestListeners.add(listener);
  if (waiting.length > 0) listener();
  return () => requestListeners.delete(listener);
}

/** The loaded region takes over: waiting toasts are shown now, later ones at once. */
export function attachToaster(show: (toast: Toast) => void): () => void {
  deliver = show;
  for (const toast of waiting.splice(0)) show(toast);
  return () => {
    if (deliver === show) deliver = null;
  };
}
