import { en } from 'zod/locales';
import * as z from 'zod/mini';

/**
 * zod/mini carries no messages of its own ("Invalid input" for everything): this loads the
 * English ones full zod loads by default, so every 400 says what is wrong exactly as before.
 * Imported for its effect by the modules that define the request schemas.
 */
z.config(en());
