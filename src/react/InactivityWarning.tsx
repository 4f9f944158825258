'use client'
// The ready-made warning lives with the Root it is built on (one module: one import of React less in a bundle).
export { InactivityWarning, type InactivityWarningProps } from './InactivityWarningRoot'
