// `sessionkit`: the framework-agnostic core. React lives in `sessionkit/react`.
export * from './core/index'
