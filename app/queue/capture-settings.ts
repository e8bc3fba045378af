/**
 * The user's settings that shape a capture (render mode, private addresses), merged over the
 * caller's base options. The runner asks for this per job, so a change in the settings pane
 * applies to the next capture without restarting anything.
 */
import type { CaptureOptions } from '../capture/capture-options.js';
import type { Settings } from '../core/contract.js';

export function captureOptionsFromSettings(
  settings: Pick<Settings, 'allowPrivateAddresses' | 'renderMode'>,
  base: CaptureOptions = {},
): CaptureOptions {
  const allow = settings.allowPrivateAddresses;
  return {
    ...base,
    render: base.render ?? settings.renderMode,
    // An explicit choice in `base` (a CLI flag) wins over the stored setting.
    fetch: { ...base.fetch, allowPrivateAddresses: base.fetch?.allowPrivateAddresses ?? allow },
    images: { ...base.images, allowPrivateAddresses: base.images?.allowPrivateAddresses ?? base.fetch?.allowPrivateAddresses ?? allow },
  };
}
