<?php
/**
 * The widget on a page: options checked, the element written with every value escaped, the
 * loader added once, in the footer, only to pages that show a widget. The shortcode and the
 * block both end here.
 *
 * @package CivicKit
 */

namespace CivicKit;

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/** The widgets civickit's loader knows (`civic-reports`, `civic-mailbox`, `civic-poll`, `civic-stats`). */
const WIDGETS = array( 'reports', 'mailbox', 'poll', 'stats' );
/** The languages the widgets speak. */
const LANGUAGES = array( 'de', 'en' );
/** The loader's script handle: WordPress prints a handle once however often it is enqueued. */
const LOADER = 'civickit-loader';

function register_widget(): void {
	add_shortcode( 'civickit', __NAMESPACE__ . '\\shortcode' );
}

/**
 * `[civickit widget="reports|mailbox|poll|stats" tenant="…" poll="…" lang="de|en"]`.
 *
 * @param array<string, string>|string $atts What the author wrote ('' for a bare `[civickit]`).
 */
function shortcode( $atts ): string {
	$defaults = array(
		'widget' => 'reports',
		'tenant' => '',
		'poll'   => '',
		'lang'   => '',
	);
	return render( shortcode_atts( $defaults, is_array( $atts ) ? $atts : array(), 'civickit' ) );
}

/**
 * The widget's element, e.g. `<civic-reports data-tenant="musterstadt" data-lang="de">`.
 * When an option is wrong, people who edit posts see a short note saying which (so the author
 * of a preview finds out); visitors see nothing.
 *
 * @param array<string, mixed> $options widget, tenant, poll, lang (missing ones take defaults).
 * @param string               $wrapper More attributes, already escaped (the block's class).
 */
function render( array $options, string $wrapper = '' ): string {
	$checked = checked( $options );
	if ( is_string( $checked ) ) {
		return problem( $checked );
	}
	// In the footer: by then the element is in the document, and block themes, which render
	// the content before <head> is printed, get it there too.
	wp_enqueue_script( LOADER, server() . '/widgets/civic.js', array(), null, true );
	$element    = 'civic-' . $checked['widget'];
	$attributes = '' !== $wrapper ? ' ' . $wrapper : '';
	$attributes .= ' data-tenant="' . esc_attr( $checked['tenant'] ) . '"';
	if ( 'poll' === $checked['widget'] ) {
		$attributes .= ' data-poll="' . esc_attr( $checked['poll'] ) . '"';
	}
	$attributes .= ' data-lang="' . esc_attr( $checked['lang'] ) . '"';
	return '<' . $element . $attributes . '></' . $element . '>';
}

/**
 * The options with defaults filled in, or a sentence saying what is wrong.
 *
 * @param array<string, mixed> $options As given to render().
 * @return array{widget: string, tenant: string, poll: string, lang: string}|string
 */
function checked( array $options ): array|string {
	$text   = static fn( string $key ): string => is_scalar( $options[ $key ] ?? '' ) ? trim( (string) ( $options[ $key ] ?? '' ) ) : '';
	$widget = strtolower( $text( 'widget' ) );
	$widget = '' === $widget ? 'reports' : $widget;
	if ( ! in_array( $widget, WIDGETS, true ) ) {
		/* translators: %s: what was given as the widget */
		return sprintf( __( 'civickit: there is no widget “%s” (reports, mailbox, poll or stats).', 'civickit' ), $widget );
	}
	if ( '' === server() ) {
		return __( 'civickit: the address of the civickit server is not set yet (Settings → civickit).', 'civickit' );
	}
	$tenant = strtolower( $text( 'tenant' ) );
	if ( '' === $tenant ) {
		$tenant = default_tenant();
		if ( '' === $tenant ) {
			return __( 'civickit: no town given, and no default town is set (Settings → civickit).', 'civickit' );
		}
	} elseif ( ! is_short_name( $tenant ) ) {
		/* translators: %s: what was given as the town */
		return sprintf( __( 'civickit: “%s” is not a town’s short name (lowercase letters, digits and dashes).', 'civickit' ), $tenant );
	}
	$poll = strtolower( $text( 'poll' ) );
	if ( 'poll' === $widget && '' === $poll ) {
		return __( 'civickit: the poll widget needs the poll’s short name (poll="…").', 'civickit' );
	}
	if ( 'poll' === $widget && ! is_short_name( $poll ) ) {
		/* translators: %s: what was given as the poll */
		return sprintf( __( 'civickit: “%s” is not a poll’s short name (lowercase letters, digits and dashes).', 'civickit' ), $poll );
	}
	$lang = strtolower( $text( 'lang' ) );
	$lang = '' === $lang ? site_language() : $lang;
	if ( ! in_array( $lang, LANGUAGES, true ) ) {
		/* translators: %s: what was given as the language */
		return sprintf( __( 'civickit: the widgets do not speak “%s” (de or en).', 'civickit' ), $lang );
	}
	return array(
		'widget' => $widget,
		'tenant' => $tenant,
		'poll'   => $poll,
		'lang'   => $lang,
	);
}

/** The widgets' language for this site: English on an English site, else German. */
function site_language(): string {
	return str_starts_with( get_locale(), 'en' ) ? 'en' : 'de';
}

/** What is wrong with a widget, for people who can edit posts; nothing for visitors. */
function problem( string $sentence ): string {
	if ( ! current_user_can( 'edit_posts' ) ) {
		return '';
	}
	$style = 'border-left:4px solid #d63638;padding:.5em 1em;background:#fcf0f1;color:#1e1e1e';
	return '<p class="civickit-problem" role="note" style="' . esc_attr( $style ) . '">' . esc_html( $sentence ) . '</p>';
}
