import { readFileSync } from 'node:fs'
import { render, screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { App } from '../../examples/readme/App'

describe("the README's drop-in example", () => {
  it('is quoted in the README exactly as the file that runs here', () => {
    const readme = readFileSync('README.md', 'utf8')
    const example = readFileSync('examples/readme/App.tsx', 'utf8')
    expect(readme).toContain('```tsx\n' + example + '```')
  })

  it('renders the signed-in user and mounts the warning, closed', async () => {
    render(<App />)
    expect(await screen.findByText('Signed in as user_ada')).toBeInTheDocument()
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument()
  })
})
