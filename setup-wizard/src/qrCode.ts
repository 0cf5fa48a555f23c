// A QR code drawn here, as SVG elements: the otpauth URI holds the TOTP secret, so it never goes
// to a QR service, and the page's CSP allows no inline markup.

const SVG = 'http://www.w3.org/2000/svg';
/** The quiet zone the QR specification asks for around the code, in modules. */
const MARGIN = 4;

/** Loads the encoder on first use: only the TOTP set-up draws a code. */
export async function qrCodeSvg(text: string, label: string): Promise<SVGSVGElement> {
  const { default: qrcode } = await import('qrcode-generator');
  const code = qrcode(0, 'M');
  code.addData(text);
  code.make();
  const count = code.getModuleCount();
  let d = '';
  for (let row = 0; row < count; row++) {
    for (let col = 0; col < count; col++) if (code.isDark(row, col)) d += `M${col + MARGIN} ${row + MARGIN}h1v1h-1z`;
  }
  const size = count + MARGIN * 2;
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${size} ${size}`);
  svg.setAttribute('class', 'qr-code');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  svg.setAttribute('shape-rendering', 'crispEdges');
  const background = document.createElementNS(SVG, 'rect');
  background.setAttribute('width', String(size));
  background.setAttribute('height', String(size));
  background.setAttribute('fill', '#fff');
  const modules = document.createElementNS(SVG, 'path');
  modules.setAttribute('d', d);
  modules.setAttribute('fill', '#000');
  svg.append(background, modules);
  return svg;
}
