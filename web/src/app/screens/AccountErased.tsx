// Where a person lands once their account is erased (Profile → Your data): they are signed out.
import { Link } from 'wouter';

export default function AccountErased() {
  return (
    <section className="card">
      <h1>Your account is erased</h1>
      <p>
        Your name, email, phone and other details are gone, and you are signed out on every device. The record of past payments stays, under
        no name, as the law requires.
      </p>
      <p>
        <Link href="/sign-up">Open a new account</Link>
      </p>
    </section>
  );
}
