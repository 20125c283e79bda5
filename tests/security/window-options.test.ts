import { describe, expect, it } from 'vitest';
import {
  allowNavigation,
  isSafeExternalUrl,
  mainWindowOptions,
  permissionCheckDecision,
  permissionRequestDecision,
  windowOpenDecision,
} from '../../src/main/security';

describe('BrowserWindow options', () => {
  const prefs = mainWindowOptions('/app/out/preload/index.cjs').webPreferences!;

  it('keeps the renderer sandboxed and isolated, without Node', () => {
    expect(prefs.sandbox).toBe(true);
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
  });

  it('never turns web security off or allows insecure content, webviews or experimental features', () => {
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.allowRunningInsecureContent).toBe(false);
    expect(prefs.webviewTag).toBe(false);
    expect(prefs.experimentalFeatures).toBe(false);
    expect(prefs.navigateOnDragDrop).toBe(false);
  });

  it('sets no web preference beyond the reviewed list', () => {
    expect(Object.keys(prefs).sort()).toEqual(
      [
        'allowRunningInsecureContent', 'contextIsolation', 'experimentalFeatures', 'navigateOnDragDrop', 'nodeIntegration',
        'nodeIntegrationInSubFrames', 'nodeIntegrationInWorker', 'preload', 'sandbox', 'spellcheck', 'webSecurity', 'webviewTag',
      ].sort(),
    );
    expect(prefs.preload).toBe('/app/out/preload/index.cjs');
  });
});

describe('navigation and window policy', () => {
  const app = 'file:///opt/rnn-lab/out/renderer/index.html';

  it('allows only a reload of the app page', () => {
    expect(allowNavigation('file:///opt/rnn-lab/out/renderer/index.html#runs', app)).toBe(true);
    expect(allowNavigation('file:///etc/passwd', app)).toBe(false);
    expect(allowNavigation('https://example.com/', app)).toBe(false);
    expect(allowNavigation('javascript:alert(1)', app)).toBe(false);
    expect(allowNavigation('not a url', app)).toBe(false);
  });

  it('denies every new window, opening only safe https links externally', () => {
    expect(windowOpenDecision('https://d2l.ai/chapter_recurrent-neural-networks/')).toEqual({ action: 'deny', openExternally: true });
    expect(windowOpenDecision('http://d2l.ai/')).toEqual({ action: 'deny', openExternally: false });
    expect(windowOpenDecision('file:///etc/passwd')).toEqual({ action: 'deny', openExternally: false });
  });

  it('refuses every permission request and check', () => {
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen', 'midi', 'unknown']) {
      expect(permissionRequestDecision(p)).toBe(false);
      expect(permissionCheckDecision(p)).toBe(false);
    }
  });
});

describe('isSafeExternalUrl', () => {
  it.each([
    ['https://pytorch.org/docs/stable/generated/torch.nn.GRU.html', true],
    ['https://d2l.ai', true],
    ['http://d2l.ai', false],
    ['file:///etc/passwd', false],
    ['javascript:alert(1)', false],
    ['data:text/html,<script>1</script>', false],
    ['smb://host/share', false],
    ['https://user:pass@example.com/', false],
    ['https://', false],
    ['https://exa mple.com/', false],
    [`https://example.com/${'a'.repeat(3000)}`, false],
    ['', false],
  ])('%s → %s', (url, ok) => {
    expect(isSafeExternalUrl(url)).toBe(ok);
  });
});
