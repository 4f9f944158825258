// Page (a): no listener at all. The floor every other page is compared with.
window.__pageInfo = () => ({})
