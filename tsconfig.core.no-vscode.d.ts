// What 'vscode' resolves to in tsconfig.core.json: not a module, so that any
// `import … from 'vscode'` under src/core or src/shared fails to compile there
// ("is not a module"), even though @types/vscode is installed for the host project.
declare const __noVscodeInCoreOrShared: never;
