import ts from "typescript";

/**
 * Static check behind the "every mutation is guarded" test: reads a file
 * under app/ and lists the exported server actions and mutating route
 * handlers that are not built by `serverAction(...)` / `guardedRoute(...)`
 * (or, for a provider's signed webhook, `webhookRoute(...)`).
 */
export type Violation = { file: string; name: string; problem: string };

const MUTATING_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

function hasDirective(statements: ts.NodeArray<ts.Statement>, directive: string): boolean {
  for (const statement of statements) {
    if (!ts.isExpressionStatement(statement) || !ts.isStringLiteral(statement.expression)) break;
    if (statement.expression.text === directive) return true;
  }
  return false;
}

function isCallTo(node: ts.Expression | undefined, callee: string): boolean {
  return Boolean(node && ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === callee);
}

function isExported(node: ts.Node): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
}

export function findUnguardedEntrypoints(file: string, source: string, allowedRoutes: ReadonlySet<string> = new Set()): Violation[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, file.endsWith("x") ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const violations: Violation[] = [];
  const isServerFile = hasDirective(sf.statements, "use server");
  const isRoute = /(^|\/)route\.tsx?$/.test(file);

  // Inline server actions ('use server' inside a function body) bypass the file-level rule: forbid them.
  const visit = (node: ts.Node) => {
    if ((ts.isFunctionDeclaration(node) || ts.isArrowFunction(node) || ts.isFunctionExpression(node)) && node.body && ts.isBlock(node.body)) {
      if (hasDirective(node.body.statements, "use server")) {
        violations.push({ file, name: node.name?.getText(sf) ?? "(inline)", problem: "inline 'use server' function; declare it in an actions.ts through serverAction()" });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);

  for (const statement of sf.statements) {
    if (ts.isExportDeclaration(statement) && isServerFile) {
      violations.push({ file, name: statement.getText(sf), problem: "re-export from a 'use server' file; export `const x = serverAction(def)` instead" });
      continue;
    }
    if (ts.isExportAssignment(statement) && isServerFile) {
      violations.push({ file, name: "default", problem: "default export from a 'use server' file" });
      continue;
    }
    if (!isExported(statement)) continue;
    if (ts.isFunctionDeclaration(statement)) {
      const name = statement.name?.text ?? "default";
      if (isServerFile) violations.push({ file, name, problem: "server action not declared through serverAction()" });
      else if (isRoute && MUTATING_METHODS.has(name) && !allowedRoutes.has(`${file}#${name}`)) {
        violations.push({ file, name, problem: "mutating route handler not declared through guardedRoute()" });
      }
      continue;
    }
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      const names = ts.isIdentifier(declaration.name)
        ? [declaration.name.text]
        : ts.isObjectBindingPattern(declaration.name)
          ? declaration.name.elements.map((e) => e.name.getText(sf))
          : [declaration.name.getText(sf)];
      for (const name of names) {
        if (isServerFile && !(ts.isIdentifier(declaration.name) && isCallTo(declaration.initializer, "serverAction"))) {
          violations.push({ file, name, problem: "server action not declared through serverAction()" });
        }
        if (isRoute && MUTATING_METHODS.has(name) && !allowedRoutes.has(`${file}#${name}`)) {
          if (!(ts.isIdentifier(declaration.name) && (isCallTo(declaration.initializer, "guardedRoute") || isCallTo(declaration.initializer, "webhookRoute")))) {
            violations.push({ file, name, problem: "mutating route handler not declared through guardedRoute()" });
          }
        }
      }
    }
  }
  return violations;
}
