/**
 * Jest (jsdom) setup for the web app: jest-dom matchers plus the browser APIs jsdom lacks.
 */
import '@testing-library/jest-dom';
import { webcrypto } from 'node:crypto';
import { TextDecoder, TextEncoder } from 'node:util';
import { runInThisContext } from 'node:vm';

// react-router encodes URLs with TextEncoder; jsdom does not provide it.
if (typeof globalThis.TextEncoder === 'undefined') {
  Object.assign(globalThis, { TextEncoder, TextDecoder });
}

// jsdom has no Fetch API classes; react-router's data router builds a Request per navigation.
// Borrow Node's own (from the main realm), with its AbortController so their signals match.
if (typeof globalThis.Request === 'undefined') {
  const node = runInThisContext('globalThis') as typeof globalThis;
  Object.assign(globalThis, {
    Request: node.Request,
    Response: node.Response,
    Headers: node.Headers,
    AbortController: node.AbortController,
    AbortSignal: node.AbortSignal,
  });
}

// jsdom's `crypto` has getRandomValues but no SubtleCrypto; blind RSA needs both.
if (!globalThis.crypto?.subtle) {
  Object.defineProperty(globalThis, 'crypto', { value: webcrypto, configurable: true });
}

// Recharts' ResponsiveContainer observes its size.
if (typeof globalThis.ResizeObserver === 'undefined') {
  class ResizeObserverStub {
    observe(): void {}
    unobserve(): void {}
    disconnect(): void {}
  }
  Object.assign(globalThis, { ResizeObserver: ResizeObserverStub });
}

if (typeof window.matchMedia === 'undefined') {
  Object.defineProperty(window, 'matchMedia', {
    configurable: true,
    value: (query: string): MediaQueryList =>
      ({
        matches: false,
        media: query,
        onchange: null,
        addListener: () => {},
        removeListener: () => {},
        addEventListener: () => {},
        removeEventListener: () => {},
        dispatchEvent: () => false,
      }) as MediaQueryList,
  });
}

// jsdom does not lay out pages; its scrollTo only logs "not implemented".
window.scrollTo = () => {};

afterEach(async () => {
  // A survey form takes its token when it opens; the request may still be on its way when a test
  // ends. Let it land before the storage is cleared, or it writes a token the next test inherits.
  // (Imported here, after the polyfills above, which blind RSA needs when it loads.)
  const { tokenPreparationsSettled } = await import('../src/features/survey/blind-token');
  await tokenPreparationsSettled();
  window.localStorage.clear();
});
