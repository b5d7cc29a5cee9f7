/**
 * Alt text on JupyterLab's image outputs.
 *
 * JupyterLab's own image renderer (@jupyterlab/rendermime's RenderedImage / renderImage) reads an image output's
 * width, height, unconfined and needs_background metadata but never its `alt`, so a figure's description (IPython's
 * `Image(alt=...)` writes it as `metadata["image/png"]["alt"]`) never reaches the <img>. This mime extension
 * re-registers the same image factory — same mime types, same order, same rank, same `safe` — with a renderer that
 * is JupyterLab's RenderedImage plus one step: it copies `metadata[mimeType].alt` (a string) onto the <img>.
 * RenderMimeRegistry keeps one factory per mime type, so this one replaces the default for every output area that
 * clones the app's registry: notebooks, consoles and ipywidgets' Output widgets (they use the notebook's registry).
 */
import { imageRendererFactory, RenderedImage } from '@jupyterlab/rendermime';
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';

/** JupyterLab's image renderer, then the output's alt text on its <img> (none given: the <img> is left as is). */
export class RenderedImageWithAlt extends RenderedImage {
  async render(model: IRenderMime.IMimeModel): Promise<void> {
    await super.render(model);
    const metadata = model.metadata[this.mimeType] as { alt?: unknown } | undefined;
    const img = this.node.querySelector('img');
    if (img && typeof metadata?.alt === 'string') {
      img.alt = metadata.alt;
    }
  }
}

/** The core image factory (bmp, png, jpeg, gif, webp; rank 90; safe) with the renderer above. */
export const rendererFactory: IRenderMime.IRendererFactory = {
  ...imageRendererFactory,
  createRenderer: options => new RenderedImageWithAlt(options)
};

const extension: IRenderMime.IExtension = {
  id: '@backprop-by-hand/alt-text:images',
  description: "Shows an image output's alt text (metadata[mimeType].alt) on its <img>.",
  rendererFactory
};

export default extension;
