// Card entry for a top-up through Stripe's Payment Element. Card data stays in Stripe's hosted
// fields, so it never reaches this app or its API. TopUpPanel imports this module lazily, and
// only when the API returns a publishable key, so test mode never fetches Stripe.js.
// TODO(#5): no automated test runs this path; the browser tests have no Stripe key and no route
// to js.stripe.com. Check it by hand against Stripe's test mode before going live.
import { Elements, PaymentElement, useElements, useStripe } from '@stripe/react-stripe-js';
import type { Stripe } from '@stripe/stripe-js';
import { loadStripe } from '@stripe/stripe-js/pure';
import { useState, type FormEvent } from 'react';

import { Alert } from '@ts/ui';

// loadStripe from the `pure` entry adds Stripe's script only when called; the main entry of
// @stripe/stripe-js would add it as soon as the module is imported.
const stripeByKey = new Map<string, Promise<Stripe | null>>();

function stripeFor(publishableKey: string): Promise<Stripe | null> {
  let stripe = stripeByKey.get(publishableKey);
  if (!stripe) {
    stripe = loadStripe(publishableKey);
    stripeByKey.set(publishableKey, stripe);
  }

  return stripe;
}

export interface StripeTopUpFormProps {
  publishableKey: string;
  clientSecret: string;
  /** Page Stripe returns to after a redirect-based payment method, e.g. this proposals page. */
  returnUrl: string;
  /** Called once Stripe reports the hold in place or still processing. */
  onConfirmed: () => void;
}

export default function StripeTopUpForm(props: StripeTopUpFormProps) {
  return (
    <Elements
      stripe={stripeFor(props.publishableKey)}
      options={{ clientSecret: props.clientSecret }}
    >
      <CardForm returnUrl={props.returnUrl} onConfirmed={props.onConfirmed} />
    </Elements>
  );
}

function CardForm({ returnUrl, onConfirmed }: { returnUrl: string; onConfirmed: () => void }) {
  const stripe = useStripe();
  const elements = useElements();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!stripe || !elements) {
      return;
    }
    setBusy(true);
    setError(null);
    // A card that needs no redirect returns here. The API learns of the hold from Stripe's
    // webhook, so the caller polls the proposal until the trade opens.
    const result = await stripe.confirmPayment({
      elements,
      confirmParams: { return_url: returnUrl },
      redirect: 'if_required',
    });
    setBusy(false);
    if (result.error) {
      setError(result.error.message ?? 'The card could not be authorized. Try another card.');

      return;
    }
    const status = result.paymentIntent.status;
    if (status === 'requires_capture' || status === 'processing') {
      onConfirmed();
    } else {
      setError(`The card hold is ${status.replaceAll('_', ' ')}. Try again or use another card.`);
    }
  }

  return (
    <form
      className="form"
      onSubmit={(event) => void submit(event)}
      aria-label="Card for the top-up"
    >
      {error ? <Alert tone="error">{error}</Alert> : null}
      <PaymentElement />
      <div className="button-row">
        <button type="submit" className="button" disabled={!stripe || !elements || busy}>
          Hold the top-up on my card
        </button>
      </div>
    </form>
  );
}
