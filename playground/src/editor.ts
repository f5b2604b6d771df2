/**
 * The YAML editor: CodeMirror 6 with its YAML language (highlighting, folding), and the
 * scenario's error as a lint diagnostic at the line it names, with the message the
 * command line prints (ScenarioError's).
 */
import { basicSetup, EditorView } from "codemirror";
import { yaml } from "@codemirror/lang-yaml";
import { linter, lintGutter, setDiagnostics, type Diagnostic } from "@codemirror/lint";
import { EditorState } from "@codemirror/state";
import { locateError } from "./errorPosition.ts";

export interface ScenarioProblem {
  readonly path: string;
  readonly problem: string;
  readonly message: string;
}

export interface Editor {
  readonly view: EditorView;
  text(): string;
  setText(text: string): void;
  /** Shows a problem found outside the linter (at Run: an override's, a variant's). */
  showProblem(problem: ScenarioProblem | undefined): void;
}

/** `check` returns the text's problem, if any; it runs after each pause in typing. */
export function createEditor(parent: HTMLElement, check: (text: string) => ScenarioProblem | undefined, onChange: () => void): Editor {
  const diagnosticsOf = (text: string, p: ScenarioProblem | undefined): Diagnostic[] => {
    if (p === undefined) return [];
    const range = locateError(text, p.path, p.problem);
    return [{ from: range.from, to: range.to, severity: "error", message: p.message, source: "scenario" }];
  };
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: "",
      extensions: [
        basicSetup,
        yaml(),
        EditorView.lineWrapping,
        lintGutter(),
        linter((v) => diagnosticsOf(v.state.doc.toString(), check(v.state.doc.toString())), { delay: 400 }),
        EditorView.updateListener.of((u) => {
          if (u.docChanged) onChange();
        }),
        EditorView.theme({ "&": { height: "100%", fontSize: "13px" }, ".cm-scroller": { fontFamily: "ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace" } }),
      ],
    }),
  });
  return {
    view,
    text: () => view.state.doc.toString(),
    setText: (text) => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } }),
    showProblem: (p) => view.dispatch(setDiagnostics(view.state, diagnosticsOf(view.state.doc.toString(), p))),
  };
}
