/** Joins the class names that are set: `cx('sk-dialog', className)`. */
export function cx(...names: Array<string | undefined | false>): string {
  return names.filter(Boolean).join(' ')
}
