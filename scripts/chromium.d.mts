export declare const chromiumPath: string
export declare function hasChromium(): boolean
export declare const chromiumArgs: string[]
