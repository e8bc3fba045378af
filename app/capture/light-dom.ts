import { DOMParser as LinkedomParser } from 'linkedom';
import { parse as parseHtml, type DefaultTreeAdapterMap, type Token, type TreeAdapter } from 'parse5';

/**
 * The page document extraction works on: parsed by parse5 (the WHATWG algorithm jsdom and
 * browsers use, so implied <html>/<body>, misnested tags and tables come out as in a browser)
 * into linkedom's DOM, a light DOM whose nodes are plain linked lists.
 *
 * Why not jsdom, as for sanitizing: on the 130-page corpus, Readability on jsdom documents took
 * 91 ms a page, on linkedom 13 ms — jsdom's nodes are wrapper/implementation pairs with live
 * collections and mutation bookkeeping, and its garbage kept V8's collector busy on the second
 * core. Readability's text was identical on every page. Why not linkedom's own parser: it is
 * htmlparser2, which does not build the implied document (`<p>a</p><p>b</p>` came out as one
 * <p> with no body), so parse5 builds the tree here through the adapter below.
 *
 * This document is never the output: extraction serializes what it keeps and the sanitizer
 * (DOMPurify on jsdom) parses that string afresh, so nothing linkedom does differently from a
 * browser can reach the archive unsanitized.
 */

type LightNode = Node & { [NAMESPACE]?: string; [TAG]?: string };

/** parse5 asks an element's tag and namespace on every token: kept on the node, not recomputed by linkedom's getters. */
const NAMESPACE = Symbol('namespace');
const TAG = Symbol('tag');
const SVG = 'http://www.w3.org/2000/svg';
const HTML = 'http://www.w3.org/1999/xhtml';

const blankDocument = (): Document => new LinkedomParser().parseFromString('', 'text/html') as unknown as Document;

interface ElementCount {
  elements: number;
}

/**
 * parse5's tree adapter for linkedom. A <template>'s content stays as the element's children,
 * as linkedom's own parser leaves it (linkedom's `content` copies them on demand).
 */
function linkedomAdapter(document: Document, count: ElementCount): TreeAdapter<DefaultTreeAdapterMap> {
  const adapter = {
    createDocument: () => document,
    createDocumentFragment: () => document.createDocumentFragment(),
    createElement(tagName: string, namespaceURI: string, attrs: Token.Attribute[]) {
      const el = (namespaceURI === SVG ? document.createElementNS(SVG, tagName) : document.createElement(tagName)) as unknown as LightNode;
      el[NAMESPACE] = namespaceURI;
      el[TAG] = tagName;
      adapter.adoptAttributes(el as unknown as Element, attrs);
      count.elements++;
      return el;
    },
    createCommentNode: (data: string) => document.createComment(data),
    createTextNode: (value: string) => document.createTextNode(value),
    appendChild: (parent: Node, child: Node) => void parent.appendChild(child),
    insertBefore: (parent: Node, child: Node, reference: Node) => void parent.insertBefore(child, reference),
    setTemplateContent: () => undefined,
    getTemplateContent: (template: Node) => template,
    setDocumentType: () => undefined, // Readability and the clean-ups never read the doctype
    setDocumentMode: () => undefined,
    getDocumentMode: () => 'no-quirks',
    detachNode: (node: ChildNode) => node.remove(),
    insertText(parent: Node, text: string) {
      const last = parent.lastChild;
      if (last?.nodeType === 3) (last as Text).data += text;
      else parent.appendChild(document.createTextNode(text));
    },
    insertTextBefore(parent: Node, text: string, reference: Node) {
      const previous = reference.previousSibling;
      if (previous?.nodeType === 3) (previous as Text).data += text;
      else parent.insertBefore(document.createTextNode(text), reference);
    },
    adoptAttributes(el: Element, attrs: Token.Attribute[]) {
      // Backwards: linkedom's setAttribute puts a new attribute first, and source order is kept.
      for (let i = attrs.length - 1; i >= 0; i--) {
        const attr = attrs[i]!;
        const name = attr.prefix ? `${attr.prefix}:${attr.name}` : attr.name;
        // parse5 hands an element's attributes again when a later duplicate tag adds some (<html>, <body>): existing ones win.
        if (!el.hasAttribute(name)) el.setAttribute(name, attr.value);
      }
    },
    getFirstChild: (node: Node) => node.firstChild,
    getChildNodes: (node: Node) => [...node.childNodes],
    getParentNode: (node: Node) => node.parentNode,
    getAttrList: (el: Element) => [...el.attributes].map((a) => ({ name: a.name, value: a.value })),
    getTagName: (el: LightNode) => el[TAG] ?? (el as unknown as Element).localName,
    getNamespaceURI: (el: LightNode) => el[NAMESPACE] ?? HTML,
    getTextNodeContent: (node: Text) => node.data,
    getCommentNodeContent: (node: Comment) => node.data,
    getDocumentTypeNodeName: () => 'html',
    getDocumentTypeNodePublicId: () => '',
    getDocumentTypeNodeSystemId: () => '',
    isTextNode: (node: Node) => node.nodeType === 3,
    isCommentNode: (node: Node) => node.nodeType === 8,
    isDocumentTypeNode: (node: Node) => node.nodeType === 10,
    isElementNode: (node: Node) => node.nodeType === 1,
    setNodeSourceCodeLocation: () => undefined,
    getNodeSourceCodeLocation: () => undefined,
    updateNodeSourceCodeLocation: () => undefined,
  };
  return adapter as unknown as TreeAdapter<DefaultTreeAdapterMap>;
}

export interface LightDocument {
  document: Document;
  /** Elements the parser created, for the page-size limit (linkedom's getElementsByTagName('*') finds none). */
  elementCount: number;
}

/** Parses a whole HTML page into an inert linkedom document: nothing runs, loads or is styled. */
export function parseLightDocument(html: string): LightDocument {
  const document = blankDocument();
  const count = { elements: 0 };
  // scriptingEnabled false: <noscript> content is markup (lazy-image fallbacks live there), as in jsdom's DOMParser documents.
  // A byte-order mark is the decoder's business (browsers drop it); parse5 would take it for text
  // and start the body before the page's <head>.
  parseHtml(html.charCodeAt(0) === 0xfeff ? html.slice(1) : html, { treeAdapter: linkedomAdapter(document, count), scriptingEnabled: false });
  return { document, elementCount: count.elements };
}
