/**
 * Electron security policy as pure functions and data (DESIGN.md, "Security"), so tests assert
 * them directly and fail the moment any of them is loosened.
 */
import type { BrowserWindowConstructorOptions } from 'electron';

export function mainWindowOptions(preloadPath: string, bounds?: { width: number; height: number; x?: number | undefined; y?: number | undefined }): BrowserWindowConstructorOptions {
  return {
    width: bounds?.width ?? 1280,
    height: bounds?.height ?? 820,
    ...(bounds?.x !== undefined && bounds.y !== undefined ? { x: bounds.x, y: bounds.y } : {}),
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'RNN Lab',
    backgroundColor: '#1e1f24',
    webPreferences: {
      preload: preloadPath,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  };
}

/** Navigation is denied except a reload of the app's own page. */
export function allowNavigation(targetUrl: string, appUrl: string): boolean {
  try {
    const target = new URL(targetUrl);
    const app = new URL(appUrl);
    return target.protocol === app.protocol && target.host === app.host && target.pathname === app.pathname;
  } catch {
    return false;
  }
}

/** window.open and target=_blank never create a window; a safe https link opens in the browser. */
export function windowOpenDecision(url: string): { action: 'deny'; openExternally: boolean } {
  return { action: 'deny', openExternally: isSafeExternalUrl(url) };
}

/** Every permission (camera, notifications, clipboard-read, …) is refused; the app needs none. */
export function permissionRequestDecision(_permission: string): boolean {
  return false;
}

export function permissionCheckDecision(_permission: string): boolean {
  return false;
}

/** Only well-formed https URLs to a named host, without credentials, may leave the app. */
export function isSafeExternalUrl(raw: string): boolean {
  if (typeof raw !== 'string' || raw.length > 2048) return false;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:') return false;
  if (url.username !== '' || url.password !== '') return false;
  if (url.hostname === '' || /[\s<>"'`]/.test(raw)) return false;
  return true;
}
